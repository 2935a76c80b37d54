import { Router, type Request, type Response } from 'express';
import type { Store, TaskDoc } from '../../activities/store';
import type { Proposal } from '../../workflows/domain/proposal';
import { taskInputSchemas, type TaskKind } from '../../workflows/domain/tasks';
import { completeTaskUpdate } from '../../workflows/messages';
import type { LifecycleClient } from '../lifecycle';
import { HttpProblem } from '../problem';
import { oversees, requireUser } from './access';
import { csrfField } from './csrf';
import { describeAnswer } from './decisions';
import { PageProblem, plainWords } from './errors';
import { checkbox, dkkText, errorSummary, radioGroup, str, textArea, textField, zodFieldErrors, type FieldErrors } from './forms';
import { html, type Html } from './html';
import { dict, formatDate, formatDateTime, formatMoney, langOf, type Lang } from './i18n';
import { layout, notice } from './layout';
import { renderMarkdown } from './markdown';
import type { SignedInUser } from './session';

type Values = Record<string, string>;
interface FormState {
  values?: Values;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
}

const agreementRows = 6;

/** The kinds of task this page has a form for; others are answered through the API for now. */
const answerable = ['councilVote', 'councilAttestation', 'mayoralApproval', 'cooperationAgreement'] as const;
type Answerable = (typeof answerable)[number];
const isAnswerable = (kind: string): kind is Answerable => (answerable as readonly string[]).includes(kind);

/**
 * The page each notification links to: what is asked, the proposal and its decision
 * paper, earlier decisions, and the form for exactly this kind of task. Submitting
 * runs the same Update as POST /api/tasks/:id/complete.
 */
export function taskPageRoutes(store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  async function loadTask(req: Request, user: SignedInUser): Promise<TaskDoc> {
    const t = dict(langOf(req)).problem;
    const task = await store.tasks.findById(req.params.id).lean();
    if (!task) throw new PageProblem(404, t.notFound, t.notFoundText);
    if (task.assignee !== user.actor.userId && !oversees(user)) throw new PageProblem(403, t.forbidden, t.someoneElse);
    return task;
  }

  async function show(req: Request, res: Response, user: SignedInUser, task: TaskDoc, state: FormState = {}) {
    const lang = langOf(req);
    const t = dict(lang);
    const kind = task.kind as TaskKind;
    const [proposal, papers, answered, users] = await Promise.all([
      store.proposals.findById(task.proposalId).lean(),
      store.decisionPapers.find({ proposalId: task.proposalId }).sort({ version: -1 }).lean(),
      store.tasks.find({ proposalId: task.proposalId, status: 'completed' }).lean(),
      store.users.find({}, { name: 1 }).lean(),
    ]);
    const nameOf = new Map(users.map((u) => [u._id, u.name]));
    const content = proposal?.content as Proposal | undefined;
    const paper = papers.find((p) => p.version === task.round) ?? papers[0];
    answered.sort((a, b) => new Date(a.completedAt ?? 0).getTime() - new Date(b.completedAt ?? 0).getTime());
    const mine = task.assignee === user.actor.userId;
    const open = task.status === 'open';
    const title = `${t.taskKind[kind] ?? kind}: ${content?.title ?? task.title ?? task.proposalId}`;

    const status = html`<dl class="meta">
      <div><dt>${t.task.due}</dt><dd>${formatDate(lang, task.dueAt)}${open && (task.overdue || new Date(task.dueAt).getTime() < Date.now()) ? html` <span class="badge badge-danger">${t.inbox.overdue}</span>` : ''}</dd></div>
      <div><dt>${t.task.assignee}</dt><dd>${task.assignee === null ? t.pool.unassigned : (nameOf.get(task.assignee) ?? task.assignee)}</dd></div>
      <div><dt>${t.task.status}</dt><dd>${t.taskStatus[task.status] ?? task.status}${task.round ? `, ${t.task.round(task.round)}` : ''}</dd></div>
    </dl>`;

    let top: Html | string = '';
    if (req.query.done === '1' && task.status === 'completed') top = notice('success', t.task.done);
    else if (state.refusal) top = notice('error', html`${state.refusal}${task.cancelReason ? html` ${t.task.cancelReason}: ${cancelReasonText(lang, task.cancelReason)}.` : ''}`);
    else if (state.errors && Object.keys(state.errors).length > 0) top = errorSummary(lang, state.errors);
    else if (!open) top = notice('info', html`${t.task.closedAs(t.taskStatus[task.status] ?? task.status)}${task.cancelReason ? html` ${t.task.cancelReason}: ${cancelReasonText(lang, task.cancelReason)}.` : ''}`);
    else if (!mine) top = notice('info', t.task.notYours);

    const earlier = answered.filter((a) => a._id !== task._id || !open);
    const body = html`<p class="breadcrumb"><a href="/proposals/${encodeURIComponent(task.proposalId)}">${task.proposalId}</a></p>
      <h1>${title}</h1>
      ${top}
      ${status}
      <div class="task-layout">
        <div class="task-main">
          <section aria-labelledby="ask-title"><h2 id="ask-title">${t.task.whatIsAsked}</h2><p>${t.taskAsk[kind] ?? t.task.genericAsk}</p></section>
          ${content
            ? html`<section aria-labelledby="proposal-title"><h2 id="proposal-title">${t.task.proposal}</h2>
              <p>${content.summary}</p>
              <dl class="meta">
                <div><dt>${t.proposal.welfareArea}</dt><dd>${t.welfareArea[content.welfareArea]}</dd></div>
                <div><dt>${t.proposal.fundingTrack}</dt><dd>${t.fundingTrack[content.fundingTrack]}</dd></div>
                <div><dt>${t.proposal.department}</dt><dd>${content.responsibleDepartment}</dd></div>
                ${content.businessCase ? html`<div><dt>${t.proposal.requested}</dt><dd>${formatMoney(lang, content.businessCase.requestedFromFund)}</dd></div>` : ''}
              </dl>
              <p><a href="/proposals/${encodeURIComponent(task.proposalId)}">${t.task.openProposal}</a></p></section>`
            : ''}
          <section aria-labelledby="earlier-title"><h2 id="earlier-title">${t.task.earlier}</h2>
            ${earlier.length === 0
              ? html`<p>${t.task.noEarlier}</p>`
              : html`<ul class="decisions">${earlier.map((a) => {
                  const d = describeAnswer(lang, a.kind, a.input);
                  return html`<li><strong>${nameOf.get(a.completedBy ?? '') ?? a.completedBy}</strong>, ${t.taskKind[a.kind as TaskKind] ?? a.kind}${a.round ? ` (${t.task.round(a.round)})` : ''}: ${d.decision}
                    <span class="muted">${formatDateTime(lang, a.completedAt)}</span>${d.text ? html`<blockquote>${d.text}</blockquote>` : ''}</li>`;
                })}</ul>`}
          </section>
          <section aria-labelledby="paper-title"><h2 id="paper-title">${t.task.paper}${paper ? `, ${t.task.paperVersion(paper.version)}` : ''}</h2>
            ${paper ? html`<div class="paper" lang="da">${renderMarkdown(paper.markdown, 2)}</div>` : html`<p>${t.task.noPaper}</p>`}
          </section>
        </div>
        ${open && mine
          ? html`<aside class="task-answer" aria-labelledby="answer-title"><h2 id="answer-title">${t.task.yourAnswer}</h2>${answerForm(req, lang, task, state)}</aside>`
          : ''}
      </div>`;
    res.status(state.status ?? 200).type('html').send(layout(req, { title, body }));
  }

  router.get('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    await show(req, res, user, await loadTask(req, user));
  });

  router.post('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    const lang = langOf(req);
    const task = await loadTask(req, user);
    const kind = task.kind;
    if (!isAnswerable(kind)) throw new PageProblem(400, dict(lang).problem.title, dict(lang).task.noForm);
    const values = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Values;
    const { input, errors: preErrors, rowOf } = formInput(lang, kind, req.body);
    const parsed = taskInputSchemas[kind].safeParse(input);
    if (!parsed.success || Object.keys(preErrors).length > 0) {
      const errors = parsed.success ? {} : zodFieldErrors(parsed.error, lang, (p) => fieldOf(kind, p, rowOf));
      if (errors['savingsShare.percent']) errors['savingsShare.percent'] = dict(lang).zod.percentage;
      await show(req, res, user, task, { values, errors: { ...errors, ...preErrors }, status: 400 });
      return;
    }
    try {
      await lifecycle.update(task.proposalId, completeTaskUpdate, { actor: user.actor, taskId: task._id, input: parsed.data });
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      const fresh = (await store.tasks.findById(task._id).lean()) ?? task;
      await show(req, res, user, fresh, { values, refusal: plainWords(lang, err), status: err.status });
      return;
    }
    res.redirect(303, `/tasks/${encodeURIComponent(task._id)}?done=1`);
  });

  return router;
}

/** The form's fields as the task's input, before the task's schema checks it. */
function formInput(lang: Lang, kind: Answerable, body: Record<string, unknown>): { input: unknown; errors: FieldErrors; rowOf: number[] } {
  const optional = (name: string) => str(body, name) || undefined;
  const errors: FieldErrors = {};
  const rowOf: number[] = [];
  switch (kind) {
    case 'councilVote':
      return { input: { decision: optional('decision'), comment: optional('comment') }, errors, rowOf };
    case 'councilAttestation':
      return {
        input:
          str(body, 'attested') === 'true'
            ? { attested: true, withinMunicipalLaw: str(body, 'withinMunicipalLaw') === 'yes', withinCityCouncilPriorities: str(body, 'withinCityCouncilPriorities') === 'yes', note: optional('note') }
            : { attested: false, reason: str(body, 'reason') },
        errors,
        rowOf,
      };
    case 'mayoralApproval':
      return {
        input: str(body, 'decision') === 'refuse' ? { decision: 'refuse', reason: str(body, 'reason') } : { decision: 'approve', comment: optional('comment') },
        errors,
        rowOf,
      };
    case 'cooperationAgreement': {
      const shareKind = optional('savingsShare.kind');
      let savingsShare: Record<string, unknown> = { kind: shareKind };
      if (shareKind === 'percentage') {
        const basisPoints = percentToBasisPoints(str(body, 'savingsShare.percent'));
        if (basisPoints === undefined) errors['savingsShare.percent'] = dict(lang).zod.percentage;
        savingsShare = { kind: shareKind, basisPoints: basisPoints ?? 0 };
      } else if (shareKind === 'amounts') {
        const perYear: unknown[] = [];
        for (let i = 0; i < agreementRows; i++) {
          const amount = str(body, `savingsShare.perYear.${i}.amount`);
          if (!amount) continue;
          const year = str(body, `savingsShare.perYear.${i}.year`);
          rowOf.push(i);
          perYear.push({ year: /^\d+$/.test(year) ? Number(year) : year, amount: dkkText(lang, amount) });
        }
        savingsShare = { kind: shareKind, perYear };
      }
      return { input: { savingsShare, conditions: str(body, 'conditions') }, errors, rowOf };
    }
  }
}

/** Where a zod path of the task's input shows on the form. */
function fieldOf(kind: Answerable, path: string, rowOf: number[]): string {
  if (kind !== 'cooperationAgreement') return path;
  if (path === 'savingsShare.basisPoints') return 'savingsShare.percent';
  if (path === 'savingsShare.perYear') return 'savingsShare.perYear.0.amount';
  const row = /^savingsShare\.perYear\.(\d+)\.(year|amount)$/.exec(path);
  if (row) return `savingsShare.perYear.${rowOf[Number(row[1])] ?? 0}.${row[2]}`;
  return path;
}

/** "12,5" or "12.5" percent as whole basis points (1250); undefined if not a percentage with at most two decimals. */
export function percentToBasisPoints(text: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10000 ? bp : undefined;
}

function answerForm(req: Request, lang: Lang, task: TaskDoc, state: FormState): Html {
  const t = dict(lang);
  const v = state.values ?? {};
  const errors = state.errors ?? {};
  const action = `/tasks/${encodeURIComponent(task._id)}`;
  switch (task.kind as TaskKind) {
    case 'councilVote':
      return html`<form method="post" action="${action}" novalidate>
        ${csrfField(req)}
        ${radioGroup({
          name: 'decision',
          legend: t.vote.legend,
          value: v.decision,
          errors,
          options: (['approve', 'reject', 'returnForChanges', 'conflictOfInterest'] as const).map((d) => ({ value: d, label: t.vote[d] })),
        })}
        ${textArea({ name: 'comment', label: t.vote.comment, hint: t.vote.commentHint, value: v.comment, errors })}
        <button type="submit">${t.vote.submit}</button>
      </form>`;
    case 'councilAttestation':
      return html`<form method="post" action="${action}" novalidate class="stacked-form">
        ${csrfField(req)}<input type="hidden" name="attested" value="true">
        <fieldset><legend>${t.attest.attestLegend}</legend>
          ${checkbox({ name: 'withinMunicipalLaw', label: t.attest.law, checked: v.withinMunicipalLaw === 'yes', errors })}
          ${checkbox({ name: 'withinCityCouncilPriorities', label: t.attest.priorities, checked: v.withinCityCouncilPriorities === 'yes', errors })}
          ${textArea({ name: 'note', label: t.attest.note, hint: t.vote.commentHint, value: v.attested === 'true' ? v.note : '', errors })}
          <button type="submit">${t.attest.submit}</button>
        </fieldset>
      </form>
      <form method="post" action="${action}" novalidate class="stacked-form">
        ${csrfField(req)}<input type="hidden" name="attested" value="false">
        <fieldset><legend>${t.attest.declineLegend}</legend>
          <p class="hint">${t.attest.declineExplain}</p>
          ${textArea({ name: 'reason', label: t.attest.reason, value: v.attested === 'false' ? v.reason : '', errors })}
          <button type="submit" class="secondary">${t.attest.declineSubmit}</button>
        </fieldset>
      </form>`;
    case 'mayoralApproval':
      return html`<form method="post" action="${action}" novalidate class="stacked-form">
        ${csrfField(req)}<input type="hidden" name="decision" value="approve">
        <fieldset><legend>${t.mayor.approveLegend}</legend>
          ${textArea({ name: 'comment', label: t.mayor.comment, hint: t.vote.commentHint, value: v.decision === 'approve' ? v.comment : '', errors })}
          <button type="submit">${t.mayor.approveSubmit}</button>
        </fieldset>
      </form>
      <form method="post" action="${action}" novalidate class="stacked-form">
        ${csrfField(req)}<input type="hidden" name="decision" value="refuse">
        <fieldset><legend>${t.mayor.refuseLegend}</legend>
          ${textArea({ name: 'reason', label: t.mayor.reason, value: v.decision === 'refuse' ? v.reason : '', errors })}
          <button type="submit" class="secondary">${t.mayor.refuseSubmit}</button>
        </fieldset>
      </form>`;
    case 'cooperationAgreement':
      return html`<form method="post" action="${action}" novalidate>
        ${csrfField(req)}
        ${radioGroup({
          name: 'savingsShare.kind',
          legend: t.agreement.shareLegend,
          value: v['savingsShare.kind'],
          errors,
          options: [
            { value: 'percentage', label: t.agreement.kindPercentage },
            { value: 'amounts', label: t.agreement.kindAmounts },
          ],
        })}
        ${textField({ name: 'savingsShare.percent', label: t.agreement.percentage, hint: t.agreement.percentageHint, value: v['savingsShare.percent'], errors, inputmode: 'decimal', className: 'short' })}
        <fieldset class="rows"><legend>${t.agreement.amountsCaption}</legend>
          ${Array.from({ length: agreementRows }, (_, i) => html`<div class="row-pair">
            ${textField({ name: `savingsShare.perYear.${i}.year`, label: `${t.agreement.yearLabel} (${i + 1})`, value: v[`savingsShare.perYear.${i}.year`] ?? String(i + 1), errors, inputmode: 'numeric', className: 'tiny' })}
            ${textField({ name: `savingsShare.perYear.${i}.amount`, label: `${t.agreement.amount} (${i + 1})`, value: v[`savingsShare.perYear.${i}.amount`], errors, inputmode: 'decimal' })}
          </div>`)}
        </fieldset>
        ${textArea({ name: 'conditions', label: t.agreement.conditions, hint: t.agreement.conditionsHint, value: v.conditions, errors, rows: 5 })}
        <button type="submit">${t.agreement.submit}</button>
      </form>`;
  }
  return html`<p>${t.task.noForm}</p>`;
}

/** The workflow's reason for cancelling a task, in the reader's language where we know it. */
function cancelReasonText(lang: Lang, reason: string): string {
  const t = dict(lang);
  const known = t.task.cancelReasons[reason];
  if (known) return known;
  const closed = /^the proposal is (\w+)$/.exec(reason);
  if (closed && lang === 'da') return `forslaget er ${(t.stage[closed[1]] ?? closed[1]).toLowerCase()}`;
  return reason;
}
