import { pageNumber } from '../params';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../../store';
import { caseResults } from '../../store/results';
import { proposalListPage } from '../../store/proposalList';
import type { Config } from '../../config';
import { hasRole } from '../../domain/people';
import type { Proposal } from '../../domain/proposal';
import type { Stage } from '../../domain/stages';
import type { TaskKind } from '../../domain/tasks';
import { taskKindName } from './taskTitle';
import type { LifecycleClient } from '../lifecycle';
import { mayReadProcurement, mayReadTask, timelineFor } from '../../domain/accessPolicy';
import { recordRead } from '../accessLog';
import { requireUser } from './access';
import { csrfField } from './csrf';
import { textArea, type FieldErrors } from './forms';
import { documentsSection } from './caseDocuments';
import { describeAnswer } from './decisions';
import { badQuery, PageProblem } from './errors';
import { attr, html, type Html } from './html';
import { dict, formatDate, formatDateTime, formatMoney, reasonWords, refusalWords, type Lang } from '../../i18n';
import { maxCouncilRounds } from '../../domain/council';
import { withdrawalRefusal } from '../../domain/withdrawal';
import { langOf } from './lang';
import { meetingWords } from '../../i18n/meetings';
import { awaitingWorkflow, liveStateForPage } from './liveState';
import { layout, notice } from './layout';
import { renderMarkdown } from './markdown';
import { resultsSection } from './resultsSection';
import { userNames } from './userNames';
import { namedParams } from './namedParams';
import { contractSection } from './procurementView';

const LIST_PAGE_SIZE = 100;
const listPageQuery = z.strictObject({ page: pageNumber });

/** The case as a page: stage, details, open tasks, timeline, decision papers, and the workflow for operators. */
export function proposalPageRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  router.get('/proposals', async (req, res) => {
    requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const q = listPageQuery.safeParse(req.query);
    if (!q.success) throw badQuery(lang, q.error);
    const { page } = q.data;
    const { total, docs } = await proposalListPage(store, page, LIST_PAGE_SIZE);
    const first = (page - 1) * LIST_PAGE_SIZE + 1;
    const last = first + docs.length - 1;
    const link = (to: number, label: string, rel: string) => html`<li><a href="/proposals?page=${String(to)}" rel="${rel}">${label}</a></li>`;
    const pager = [page > 1 ? link(page - 1, t.proposal.newer, 'prev') : '', last < total ? link(page + 1, t.proposal.older, 'next') : ''].filter(Boolean);
    res.type('html').send(
      layout(req, {
        title: t.proposal.list,
        current: 'proposals',
        body: html`<h1>${t.proposal.list}</h1>
        ${
          docs.length === 0
            ? html`<p>${t.proposal.noProposals}</p>`
            : html`<table class="data"><caption>${t.proposal.listCaption(first, last, total)}</caption>
          <thead><tr><th scope="col">${t.proposal.id}</th><th scope="col">${t.form.title}</th><th scope="col">${t.proposal.stage}</th><th scope="col" class="num">${t.proposal.requested}</th></tr></thead>
          <tbody>${docs.map((d) => {
            const c = d.content as Proposal;
            return html`<tr><td><a href="/proposals/${encodeURIComponent(d._id)}">${d._id}</a></td><td>${c.title}</td><td>${t.stage[d.stage as Stage] ?? d.stage}</td><td class="num">${c.businessCase ? formatMoney(lang, c.businessCase.requestedFromFund) : ''}</td></tr>`;
          })}</tbody></table>`
        }
        ${pager.length ? html`<nav aria-label="${t.proposal.pages}"><ul class="pager">${pager}</ul></nav>` : ''}`,
      }),
    );
  });

  router.get('/proposals/:id', async (req, res) => {
    await showProposal(req, res, { config, store, lifecycle });
  });

  return router;
}

/** A withdrawal sent back to the page: the reason as written, and what is wrong with it. */
export interface WithdrawalForm {
  reason: string;
  errors: FieldErrors;
}

/** Renders the proposal page; the submit and withdraw actions re-render it with what is missing. */
export async function showProposal(
  req: Request,
  res: Response,
  deps: { config: Config; store: Store; lifecycle: LifecycleClient },
  extra: { top?: Html; status?: number; withdrawal?: WithdrawalForm } = {},
) {
  const { config, store, lifecycle } = deps;
  const user = requireUser(req);
  const lang = langOf(req);
  const t = dict(lang);
  const doc = await store.proposals.findById(req.params.id).lean();
  if (!doc) throw new PageProblem(404, t.problem.notFound, t.problem.notFoundText);
  const [live, tasks, events, papers, nameOfUser, results] = await Promise.all([
    liveStateForPage(lifecycle, req, doc._id),
    store.tasks.find({ proposalId: doc._id }).sort({ openedAt: 1, _id: 1 }).lean(),
    store.events.find({ proposalId: doc._id }).sort({ at: 1, _id: 1 }).lean(),
    store.decisionPapers.find({ proposalId: doc._id }).sort({ version: -1 }).lean(),
    userNames(store),
    caseResults(store, doc._id, (doc.content as Proposal).fundingTrack),
    recordRead(store, req, user.actor.userId, { what: 'proposal', proposalId: doc._id }),
  ]);
  // The workflow's own steps are by `system`, the council's decisions as a body by `council`.
  const nameOf = (id?: string) => (id === 'operator' ? t.proposal.operator : id === 'council' ? t.proposal.council : id && id !== 'system' ? nameOfUser(id) : t.proposal.system);
  const kindOf = new Map(tasks.map((task) => [task._id, task.kind]));
  const content = doc.content as Proposal;
  // The workflow is the live truth; the read model answers when it cannot be asked, or when an operator stopped the workflow.
  const stopped = doc.stoppedByOperator;
  const state = live.state;
  const stage = (stopped ? 'StoppedByOperator' : (state?.stage ?? doc.stage)) as Stage;
  const secretariat = hasRole(user.actor, 'secretariat');
  // Unknown while the workflow cannot be asked: the button is offered, and the workflow refuses if it must.
  const roundsLeft = (state?.rounds.length ?? 0) < maxCouncilRounds;
  const openTasks = tasks.filter((task) => task.status === 'open');

  let top: Html | string = extra.top ?? '';
  if (!extra.top) {
    if (req.query.created === '1') top = notice('success', t.proposal.created);
    else if (req.query.saved === '1') top = notice('success', t.proposal.saved);
    else if (req.query.submitted === '1') top = notice('success', t.proposal.submitted);
    else if (req.query.withdrawn === '1') top = notice('success', t.proposal.withdrawn);
  }

  const body = html`<p class="breadcrumb">${t.proposal.id} ${doc._id}</p>
    <h1>${content.title}</h1>
    ${top}
    ${live.awaiting && !stopped ? awaitingWorkflow(req, { unavailable: false, again: `/proposals/${encodeURIComponent(doc._id)}` }) : ''}
    <dl class="meta">
      <div><dt>${t.proposal.stage}</dt><dd><span class="stage">${t.stage[stage] ?? stage}</span></dd></div>
      <div><dt>${t.proposal.welfareArea}</dt><dd>${t.welfareArea[content.welfareArea]}</dd></div>
      <div><dt>${t.proposal.fundingTrack}</dt><dd>${t.fundingTrack[content.fundingTrack]}</dd></div>
      <div><dt>${t.proposal.department}</dt><dd>${content.responsibleDepartment}</dd></div>
      ${content.businessCase ? html`<div><dt>${t.proposal.requested}</dt><dd>${formatMoney(lang, content.businessCase.requestedFromFund)}</dd></div>` : ''}
      <div><dt>${t.proposal.createdBy}</dt><dd>${nameOf(doc.createdBy)}, ${formatDate(lang, doc.createdAt)}</dd></div>
    </dl>
    ${
      stopped
        ? notice(
            'info',
            html`<p>${t.proposal.stopped(stopped.status, formatDateTime(lang, stopped.at))}</p>
          ${stopped.reservedOre > 0 || stopped.earmarkedOre > 0 ? html`<p>${t.proposal.stoppedHeld(formatMoney(lang, stopped.reservedOre), formatMoney(lang, stopped.earmarkedOre))}</p>` : ''}`,
          )
        : ''
    }
    ${state?.closure ? html`<p>${t.proposal.closure}: ${t.stage[state.closure.stage] ?? state.closure.stage}. ${reasonWords(lang, namedParams(state.closure.reason, nameOf))}</p>` : ''}
    ${
      state?.procurement && mayReadProcurement(user.actor)
        ? html`<p class="procurement-link"><a href="/proposals/${encodeURIComponent(doc._id)}/procurement">${t.procurement.title}</a></p>`
        : state?.contracting?.contract
          ? // The contract is open to all, as in the API: one who may not read the procurement page reads its terms here.
            contractSection(lang, state.contracting.contract, nameOf)
          : ''
    }
    ${
      secretariat && stage === 'Motivation'
        ? html`${roundsLeft ? '' : notice('info', refusalWords(lang, { code: 'councilRoundsExhausted', max: maxCouncilRounds }))}<div class="actions">
        <a class="button secondary" href="/proposals/${encodeURIComponent(doc._id)}/edit">${t.proposal.edit}</a>
        ${roundsLeft ? html`<form method="post" action="/proposals/${encodeURIComponent(doc._id)}/submit" class="inline">${csrfField(req)}<button type="submit">${t.proposal.submit}</button></form>` : ''}
      </div>`
        : ''
    }
    ${secretariat && !stopped && !withdrawalRefusal({ ...state, stage }) ? withdrawalForm(req, lang, doc._id, extra.withdrawal) : ''}
    <h2>${t.proposal.summary}</h2>
    <p>${content.summary}</p>

    <h2>${t.proposal.openTasks}</h2>
    ${
      openTasks.length === 0
        ? html`<p>${t.proposal.noOpenTasks}</p>`
        : html`<table class="data"><caption class="visually-hidden">${t.proposal.openTasks}</caption>
        <thead><tr><th scope="col">${t.inbox.task}</th><th scope="col">${t.task.assignee}</th><th scope="col">${t.inbox.due}</th></tr></thead>
        <tbody>${openTasks.map(
          (
            task,
          ) => html`<tr><td>${mayReadTask(user.actor, task) ? html`<a href="/tasks/${encodeURIComponent(task._id)}">${taskKindName(lang, task)}</a>` : taskKindName(lang, task)}</td>
            <td>${task.assignee === null ? t.pool.unassigned : nameOf(task.assignee)}</td>
            <td>${formatDate(lang, task.dueAt)} ${task.overdue || new Date(task.dueAt).getTime() < Date.now() ? html`<span class="badge badge-danger">${t.inbox.overdue}</span>` : ''}</td></tr>`,
        )}</tbody></table>`
    }

    ${results ? resultsSection(lang, results, { nameOf }) : ''}

    <h2>${t.proposal.timeline}</h2>
    <table class="data timeline"><caption class="visually-hidden">${t.proposal.timeline}</caption>
      <thead><tr><th scope="col">${t.proposal.when}</th><th scope="col">${t.proposal.who}</th><th scope="col">${t.proposal.what}</th></tr></thead>
      <tbody>${timelineFor(user.actor, events, tasks).map(
        (e) =>
          html`<tr><td>${formatDateTime(lang, e.at)}</td><td>${nameOf(e.by)}</td><td>${describeEvent(lang, e.type, e.details, kindOf, nameOf)}${meetingLink(lang, e.type, e.details)}</td></tr>`,
      )}</tbody>
    </table>

    ${documentsSection(lang, content, state, papers.length)}

    <h2 id="papers-title">${t.proposal.papers}</h2>
    ${
      papers.length === 0
        ? html`<p>${t.task.noPaper}</p>`
        : html`<div class="paper" lang="da">${renderMarkdown(papers[0].markdown, 2)}</div>
        ${
          papers.length > 1
            ? html`<h3>${t.proposal.earlierVersions}</h3>${papers
                .slice(1)
                .map(
                  (p) =>
                    html`<details><summary>${t.task.paperVersion(p.version)}, ${formatDate(lang, p.createdAt)}</summary><div class="paper" lang="da">${renderMarkdown(p.markdown, 3)}</div></details>`,
                )}`
            : ''
        }`
    }
    ${
      hasRole(user.actor, 'operator') || secretariat
        ? html`<p class="operator-link"><a href="${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(doc.workflowId)}">${t.proposal.temporal}</a> <span class="muted">(${doc.workflowId})</span></p>`
        : ''
    }`;
  res
    .status(extra.status ?? 200)
    .type('html')
    .send(layout(req, { title: content.title, body, current: 'proposals' }));
}

/** Rarely wanted and not undone, so folded away unless it comes back with an error. */
function withdrawalForm(req: Request, lang: Lang, proposalId: string, sent?: WithdrawalForm): Html {
  const t = dict(lang).proposal;
  return html`<details class="rare-action"${attr('open', !!sent)}><summary>${t.withdraw}</summary>
    <form method="post" action="/proposals/${encodeURIComponent(proposalId)}/withdraw" novalidate class="stacked-form">${csrfField(req)}
      <p>${t.withdrawExplain}</p>
      ${textArea({ name: 'reason', label: t.withdrawReason, hint: t.withdrawReasonHint, value: sent?.reason, errors: sent?.errors ?? {}, required: true })}
      <button type="submit" class="secondary">${t.withdrawSubmit}</button>
    </form>
  </details>`;
}

/** A meeting's step on the timeline links to the meeting, or to the minutes once they are approved. */
function meetingLink(lang: Lang, type: string, details: unknown): Html | string {
  const meetingId = (details as { meetingId?: string } | undefined)?.meetingId;
  if (!meetingId || (type !== 'onAgenda' && type !== 'minutesApproved')) return '';
  const path = `/meetings/${encodeURIComponent(meetingId)}${type === 'minutesApproved' ? '/minutes' : ''}`;
  return html` <a href="${path}">${type === 'minutesApproved' ? meetingWords(lang).openMinutes : meetingWords(lang).kinds.council}</a>`;
}

function describeEvent(lang: Lang, type: string, details: unknown, kindOf: Map<string, string>, nameOf: (id?: string) => string): string {
  const t = dict(lang);
  const d = (details ?? {}) as {
    stage?: string;
    reason?: unknown;
    revision?: number;
    taskId?: string;
    kind?: string;
    assignee?: string;
    input?: unknown;
    withheld?: boolean;
    status?: string;
    decision?: string;
    members?: string[];
    chairs?: string[];
    startsAt?: string;
    refusals?: number;
  };
  const kind = d.kind ?? (d.taskId ? kindOf.get(d.taskId) : undefined) ?? '';
  const kindName = t.taskKind[kind as TaskKind] ?? kind;
  switch (type) {
    case 'created':
      return t.event.created;
    case 'revised':
      return t.event.revised(d.revision ?? 0);
    case 'withdrawalReceived':
      return t.event.withdrawalReceived;
    case 'stageChanged':
      return `${t.event.stageChanged(t.stage[d.stage as Stage] ?? d.stage ?? '')}${d.reason ? `: ${reasonWords(lang, namedParams(d.reason, nameOf))}` : ''}`;
    case 'taskOpened':
      return t.event.taskOpened(kindName, nameOf(d.assignee));
    case 'taskCompleted': {
      if (d.withheld) return t.event.answerWithheld(kindName);
      const a = describeAnswer(lang, kind, d.input);
      return `${t.event.taskCompleted(kindName, a.decision)}${a.text ? `: «${a.text}»` : ''}`;
    }
    case 'taskOverdue':
      return t.event.taskOverdue(kindName, nameOf(d.assignee));
    case 'taskClaimed':
      return t.event.taskClaimed(kindName);
    case 'taskReleased':
      return t.event.taskReleased(kindName);
    case 'taskReassigned':
      return t.event.taskReassigned(kindName, d.assignee ? nameOf(d.assignee) : t.pool.unassigned, reasonWords(lang, namedParams(d.reason, nameOf)));
    case 'councilIncomplete':
      return t.event.councilIncomplete(d.members?.length ?? 0, d.chairs?.length ?? 0);
    case 'fundRefusalsExhausted':
      return t.event.fundRefusalsExhausted(d.refusals ?? 0);
    case 'stoppedByOperator':
      return t.event.stoppedByOperator(d.status ?? '', reasonWords(lang, namedParams(d.reason, nameOf)));
    case 'stoppedCaseReviewed':
      return t.event.stoppedCaseReviewed(d.decision ?? '', reasonWords(lang, namedParams(d.reason, nameOf)));
    case 'workflowReset':
      return t.event.workflowReset(reasonWords(lang, namedParams(d.reason, nameOf)));
    case 'resetAfterStop':
      return t.event.resetAfterStop;
    case 'onAgenda':
      return meetingWords(lang).timelineOnAgenda(formatDateTime(lang, d.startsAt));
    case 'minutesApproved':
      return `${meetingWords(lang).timelineApproved(formatDateTime(lang, d.startsAt))}${d.decision ? `: ${meetingWords(lang).decisions[d.decision] ?? d.decision}` : ''}`;
  }
  const step = /^(?:procurement|contracting)\.(\w+)$/.exec(type);
  const what = (step && t.event.step[step[1]]) ?? type;
  // The council's decision on a recommendation says what it decided and why.
  return d.reason ? `${what}: ${reasonWords(lang, namedParams(d.reason, nameOf))}` : what;
}
