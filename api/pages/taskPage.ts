import { Router, type Request, type Response } from 'express';
import type { Store, TaskDoc } from '../../store';
import { caseResults } from '../../store/results';
import { annualReportYear } from '../../domain/annualReport';
import { isMeetingId } from '../../domain/meeting';
import type { Proposal } from '../../domain/proposal';
import { taskInputSchemas, type TaskKind } from '../../domain/tasks';
import { completeTaskUpdate } from '../../workflows/messages';
import type { LifecycleClient } from '../lifecycle';
import { recordRead } from '../accessLog';
import { ballotKinds, mayReadTask, openCouncilRounds, taskAnswerFor } from '../../domain/accessPolicy';
import { requireUser } from './access';
import { describeAnswer } from './decisions';
import { PageProblem, plainWords, refusalIn } from './errors';
import { errorSummary, failedFormStatus, postedValues, zodFieldErrors, type FieldErrors } from './forms';
import { unsavedText } from './unsavedText';
import { html, type Html } from './html';
import { dict, formatDate, formatDateTime, formatMoney, reasonWords } from '../../i18n';
import { langOf } from './lang';
import { meetingWords } from '../../i18n/meetings';
import { layout, notice } from './layout';
import { awaitingWorkflow, liveStateForPage, unavailableStatus } from './liveState';
import { renderMarkdown } from './markdown';
import { resultsSection } from './resultsSection';
import { poolActions } from './taskClaims';
import type { SignedInUser } from './session';
import { taskForms, type FormContext, type TaskForm, type Values } from './taskForms';
import { taskCaseTitle, taskKindName } from './taskTitle';
import { userNames } from './userNames';
import { namedParams } from './namedParams';

interface FormState {
  values?: Values;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
}

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
    if (!mayReadTask(user.actor, task)) throw new PageProblem(403, t.forbidden, t.someoneElse);
    return task;
  }

  async function show(req: Request, res: Response, user: SignedInUser, task: TaskDoc, state: FormState = {}) {
    const lang = langOf(req);
    const t = dict(lang);
    const kind = task.kind as TaskKind;
    const reportYear = annualReportYear(task.proposalId);
    const meetingId = isMeetingId(task.proposalId) ? task.proposalId : undefined;
    const [proposal, report, papers, completed, openVotes, nameOf, , meeting] = await Promise.all([
      store.proposals.findById(task.proposalId).lean(),
      reportYear ? store.reports.findById(reportYear).lean() : null,
      store.decisionPapers.find({ proposalId: task.proposalId }).sort({ version: -1 }).lean(),
      store.tasks.find({ proposalId: task.proposalId, status: 'completed' }).lean(),
      store.tasks.find({ proposalId: task.proposalId, kind: { $in: [...ballotKinds] }, status: 'open' }, { kind: 1, round: 1, status: 1 }).lean(),
      userNames(store),
      recordRead(store, req, user.actor.userId, { what: 'task', taskId: task._id, proposalId: task.proposalId }),
      meetingId ? store.meetings.findById(meetingId).lean() : null,
    ]);
    // Another member's ballot in a round still open shows only that it was given.
    const answered = completed.map((a) => taskAnswerFor(user.actor, a, openCouncilRounds(openVotes)));
    const content = proposal?.content as Proposal | undefined;
    const paper = papers.find((p) => p.version === task.round) ?? papers[0];
    answered.sort((a, b) => new Date(a.completedAt ?? 0).getTime() - new Date(b.completedAt ?? 0).getTime());
    const mine = task.assignee === user.actor.userId;
    const open = task.status === 'open';
    const form: TaskForm | undefined = taskForms[kind];
    const live = open && form?.usesState ? await liveStateForPage(lifecycle, req, task.proposalId) : undefined;
    // The assignee's form is never drawn without what it needs: the page answers 503 instead.
    const unanswerable = !!live?.awaiting && mine;
    const awaiting = live?.awaiting ? awaitingWorkflow(req, { unavailable: mine, again: `/tasks/${encodeURIComponent(task._id)}` }) : '';
    const formContext: FormContext = {
      req,
      lang,
      reader: user.actor,
      values: state.values ?? {},
      errors: state.errors ?? {},
      action: `/tasks/${encodeURIComponent(task._id)}`,
      proposal: content,
      report: report ?? undefined,
      meeting: meeting?.meeting,
      state: live?.state,
      stopped: proposal?.stoppedByOperator,
      answered,
      nameOf,
    };
    const results = open && form?.showsResults && content ? await caseResults(store, task.proposalId, content.fundingTrack) : null;
    const title = `${taskKindName(lang, task)}: ${content?.title ?? taskCaseTitle(lang, task, meeting ? { kind: meeting.meeting.kind, startsAt: meeting.startsAt } : undefined)}`;
    // A council member's task on the annual report belongs to the report, the chair's on the minutes to the meeting, not to a proposal.
    const caseLink = reportYear
      ? html`<a href="/reports/${reportYear}">${t.report.title(reportYear)}</a>`
      : meetingId
        ? html`<a href="/meetings/${encodeURIComponent(meetingId)}">${meetingWords(lang).kinds[meeting?.kind ?? 'council']}</a>`
        : html`<a href="/proposals/${encodeURIComponent(task.proposalId)}">${task.proposalId}</a>`;

    const status = html`<dl class="meta">
      <div><dt>${t.task.due}</dt><dd>${formatDate(lang, task.dueAt)}${open && (task.overdue || new Date(task.dueAt).getTime() < Date.now()) ? html` <span class="badge badge-danger">${t.inbox.overdue}</span>` : ''}</dd></div>
      <div><dt>${t.task.assignee}</dt><dd>${task.assignee === null ? t.pool.unassigned : nameOf(task.assignee)}</dd></div>
      <div><dt>${t.task.status}</dt><dd>${t.taskStatus[task.status] ?? task.status}${task.round && task.round > 1 ? `, ${t.task.round(task.round)}` : ''}</dd></div>
    </dl>`;

    // Drawn before the summary above it, which names the fields it draws.
    const answer =
      open && mine && !unanswerable
        ? html`<aside class="task-answer" aria-labelledby="answer-title"><h2 id="answer-title">${t.task.yourAnswer}</h2>${form ? form.render(formContext) : html`<p>${t.task.noForm}</p>`}</aside>`
        : // Refused because the task is no longer theirs (a colleague took it, it closed): no form carries what they typed.
          unsavedText(lang, state.values);
    let top: Html | string = '';
    if (req.query.done === '1' && task.status === 'completed') top = notice('success', t.task.done);
    else if (req.query.claimed === '1' && open && mine) top = notice('success', t.pool.claimed);
    else if (state.refusal)
      top = notice('error', html`${state.refusal}${task.cancelReason ? html` ${t.task.cancelReason}: ${reasonWords(lang, namedParams(task.cancelReason, nameOf))}.` : ''}`);
    else if (state.errors && Object.keys(state.errors).length > 0) top = errorSummary(lang, state.errors);
    else if (!open)
      top = notice(
        'info',
        html`${t.task.closedAs(t.taskStatus[task.status] ?? task.status)}${task.cancelReason ? html` ${t.task.cancelReason}: ${reasonWords(lang, namedParams(task.cancelReason, nameOf))}.` : ''}`,
      );
    else if (!mine) top = notice('info', task.assignee === null ? t.pool.unassigned : t.task.notYours);

    const earlier = answered.filter((a) => a._id !== task._id || !open);
    const body = html`<p class="breadcrumb">${caseLink}</p>
      <h1>${title}</h1>
      ${top}
      ${awaiting}
      ${status}
      ${poolActions(req, user, task)}
      <div class="task-layout">
        <div class="task-main">
          <section aria-labelledby="ask-title"><h2 id="ask-title">${t.task.whatIsAsked}</h2><p>${t.taskAsk[kind] ?? t.task.genericAsk}</p></section>
          ${open && form?.context ? form.context(formContext) : ''}
          ${results ? resultsSection(lang, results, { nameOf }) : ''}
          ${
            content
              ? html`<section aria-labelledby="proposal-title"><h2 id="proposal-title">${t.task.proposal}</h2>
              <p>${content.summary}</p>
              <dl class="meta">
                <div><dt>${t.proposal.welfareArea}</dt><dd>${t.welfareArea[content.welfareArea]}</dd></div>
                <div><dt>${t.proposal.fundingTrack}</dt><dd>${t.fundingTrack[content.fundingTrack]}</dd></div>
                <div><dt>${t.proposal.department}</dt><dd>${content.responsibleDepartment}</dd></div>
                ${content.businessCase ? html`<div><dt>${t.proposal.requested}</dt><dd>${formatMoney(lang, content.businessCase.requestedFromFund)}</dd></div>` : ''}
              </dl>
              <p><a href="/proposals/${encodeURIComponent(task.proposalId)}">${t.task.openProposal}</a></p></section>`
              : ''
          }
          <section aria-labelledby="earlier-title"><h2 id="earlier-title">${t.task.earlier}</h2>
            ${
              earlier.length === 0
                ? html`<p>${t.task.noEarlier}</p>`
                : html`<ul class="decisions">${earlier.map((a) => {
                    const d = a.withheld ? { decision: t.task.answerWithheld } : describeAnswer(lang, a.kind, a.input);
                    return html`<li><strong>${a.completedBy ? nameOf(a.completedBy) : ''}</strong>, ${t.taskKind[a.kind as TaskKind] ?? a.kind}${a.round ? ` (${t.task.round(a.round)})` : ''}: ${d.decision}
                    <span class="muted">${formatDateTime(lang, a.completedAt)}</span>${d.text ? html`<blockquote>${d.text}</blockquote>` : ''}</li>`;
                  })}</ul>`
            }
          </section>
          ${
            reportYear || meetingId
              ? ''
              : html`<section aria-labelledby="paper-title"><h2 id="paper-title">${t.task.paper}${paper ? `, ${t.task.paperVersion(paper.version)}` : ''}</h2>
            ${paper ? html`<div class="paper" lang="da">${renderMarkdown(paper.markdown, 2)}</div>` : html`<p>${t.task.noPaper}</p>`}
          </section>`
          }
        </div>
        ${answer}
      </div>`;
    res
      .status(unanswerable ? unavailableStatus(res) : (state.status ?? 200))
      .type('html')
      .send(layout(req, { title, body }));
  }

  router.get('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    await show(req, res, user, await loadTask(req, user));
  });

  router.post('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    const lang = langOf(req);
    const task = await loadTask(req, user);
    const kind = task.kind as TaskKind;
    const form: TaskForm | undefined = taskForms[kind];
    if (!form) throw new PageProblem(400, dict(lang).problem.title, dict(lang).task.noForm);
    const values = postedValues(req.body);
    const reading = form.read(lang, req.body);
    const parsed = taskInputSchemas[kind].safeParse(reading.input);
    const preErrors = reading.errors ?? {};
    if (!parsed.success || Object.keys(preErrors).length > 0) {
      const errors = parsed.success ? {} : zodFieldErrors(parsed.error, lang, reading.fieldOf);
      for (const field of Object.keys(errors)) errors[field] = reading.messages?.[field] ?? errors[field];
      await show(req, res, user, task, { values, errors: { ...errors, ...preErrors }, status: failedFormStatus(parsed.error, preErrors) });
      return;
    }
    try {
      await lifecycle.updateTask(task, completeTaskUpdate, { actor: user.actor, taskId: task._id, input: parsed.data });
    } catch (err) {
      const refusal = refusalIn(err);
      const fresh = (await store.tasks.findById(task._id).lean()) ?? task;
      await show(req, res, user, fresh, { values, refusal: plainWords(lang, refusal), status: refusal.status });
      return;
    }
    res.redirect(303, `/tasks/${encodeURIComponent(task._id)}?done=1`);
  });

  return router;
}
