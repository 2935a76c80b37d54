import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../../config';
import { mayReadMeetings } from '../../domain/accessPolicy';
import {
  agendaItemKinds,
  agendaItemPath,
  itemDecisions,
  meetingOver,
  membersOfRecord,
  awaitsMinutes,
  recommendationStages,
  sameDecision,
  type AgendaItem,
  type AgendaItemKind,
  type RecommendationKind,
  type Meeting,
} from '../../domain/meeting';
import { agendaItemInput, cancelMeetingInput, meetingRecordInput, planMeetingInput } from '../../domain/meetingInput';
import { minutesOf } from '../../domain/minutes';
import { isWebLink } from '../../domain/links';
import { hasRole } from '../../domain/people';
import { recordRead } from '../accessLog';
import type { Store } from '../../store';
import type { LifecycleClient } from '../lifecycle';
import { agendaCases } from '../meetingItems';
import { HttpProblem, outageProblem } from '../problem';
import { calendarPageSize, meetingService } from '../routes/meetings';
import { requirePageAccess, requireRolePage } from './access';
import { csrfField } from './csrf';
import { PageProblem, refusalIn } from './errors';
import { checkbox, errorSummary, failedFormStatus, postedValues, selectField, str, textArea, textField, zodFieldErrors, type FieldErrors } from './forms';
import { unsavedText } from './unsavedText';
import { html, type Html } from './html';
import { dict, formatDateTime, refusalWords, type Lang } from '../../i18n';
import { langOf } from './lang';
import { meetingWords } from '../../i18n/meetings';
import { layout, notice } from './layout';
import { awaitingWorkflow } from './liveState';
import { fromLocalInput } from '../../domain/localTime';
import { minutesDocument } from './minutesDocument';
import type { SignedInUser } from './session';
import { userNames } from './userNames';
import { namedParams } from './namedParams';
import { councilOfMeeting } from '../../store/people';
import { pageNumber } from '../params';

interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
}

/** An open vote is on a case's newest decision: linked from its newest item, not from an earlier round's. */
const newestOfItsCase = (m: Meeting, item: AgendaItem) => m.agenda.filter((i) => i.kind === item.kind && i.caseId === item.caseId).at(-1) === item;

/** The members' own tasks on each kind of item, linked from the agenda as their vote. */
const itemOfTask: Record<string, AgendaItemKind> = { councilVote: 'proposal', awardDecision: 'awardRecommendation', investorDecision: 'investorRecommendation' };

const recommendationKinds = Object.keys(recommendationStages) as RecommendationKind[];

const meetingPath = (m: Pick<Meeting, 'id'>) => `/meetings/${encodeURIComponent(m.id)}`;
const open = (m: Meeting) => m.status === 'planned' || m.status === 'agendaSent';

/**
 * The council's meetings as pages: the calendar, each meeting with its agenda (a
 * member finds the decision papers and their own vote there), the secretariat's
 * forms to plan, add items, record and cancel, and the minutes as a document. Each
 * step is the API's (api/routes/meetings.ts), with the same checks.
 */
export function meetingPageRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();
  const meetings = meetingService(config, store, lifecycle);
  const cases = agendaCases(store, lifecycle);
  const reader = (req: Request) => requirePageAccess(req, (actor) => mayReadMeetings(actor));

  async function load(req: Request): Promise<Meeting> {
    try {
      return await meetings.load(String(req.params.id));
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      const t = dict(langOf(req)).problem;
      throw new PageProblem(404, t.notFound, t.notFoundText);
    }
  }

  /**
   * The meeting as a reader sees it: attendance and declared conflicts of interest are
   * personal data, so the read is on record, once the meeting is found (a read of a
   * meeting that does not exist is no read).
   */
  async function loadRead(req: Request, userId: string): Promise<Meeting> {
    const meeting = await load(req);
    await recordRead(store, req, userId, { what: 'meeting', meetingId: meeting.id });
    return meeting;
  }

  async function showCalendar(req: Request, res: Response, user: SignedInUser, state: FormState = {}) {
    const lang = langOf(req);
    const t = meetingWords(lang);
    // A page at a time, soonest first, as the API pages it; the page number bounded as every list's is.
    const page = pageNumber.catch(1).parse(req.query.page);
    const { total, docs } = await meetings.calendar(undefined, page);
    const pageLink = (n: number, label: string, rel: string) => html`<li><a href="/meetings?page=${n}" rel="${rel}">${label}</a></li>`;
    const pager = [page > 1 ? pageLink(page - 1, t.earlier, 'prev') : '', page * calendarPageSize < total ? pageLink(page + 1, t.later, 'next') : ''].filter(Boolean);
    const secretariat = hasRole(user.actor, 'secretariat');
    const errors = state.errors ?? {};
    const v = state.values ?? {};
    // Drawn before the summary above it, which names the fields it draws.
    const planForm = secretariat
      ? html`<section aria-labelledby="plan-title"><h2 id="plan-title">${t.plan}</h2><p class="hint">${t.dialogueHint}</p>
        <form method="post" action="/meetings" novalidate class="stacked-form">${csrfField(req)}
          ${selectField({ name: 'kind', label: t.kind, value: v.kind, errors, options: ['council', 'dialogue'].map((k) => ({ value: k, label: t.kinds[k] })) })}
          ${textField({ name: 'startsAt', label: t.when, type: 'datetime-local', value: v.startsAt, errors })}
          ${textField({ name: 'place', label: t.where, value: v.place, errors })}
          ${textField({ name: 'videoLink', label: t.video, type: 'url', value: v.videoLink, errors })}
          <button type="submit">${t.planSubmit}</button>
        </form></section>`
      : '';
    const body = html`<h1>${t.calendar}</h1>
      ${state.refusal ? notice('error', state.refusal) : Object.keys(errors).length ? errorSummary(lang, errors) : ''}
      <p>${t.calendarIntro}</p>
      ${
        docs.length === 0
          ? html`<p>${t.none}</p>`
          : html`<table class="data"><caption class="visually-hidden">${t.calendar}</caption>
        <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.kind}</th><th scope="col">${t.where}</th><th scope="col">${t.status}</th><th scope="col">${t.agenda}</th></tr></thead>
        <tbody>${docs.map(
          ({ meeting: m }) => html`<tr><td><a href="${meetingPath(m)}">${formatDateTime(lang, m.startsAt)}</a></td><td>${t.kinds[m.kind]}</td>
          <td>${m.place ?? t.video}</td><td>${t.statuses[m.status]}</td><td>${m.agenda.length}</td></tr>`,
        )}</tbody></table>`
      }
      ${pager.length ? html`<nav aria-label="${t.pages}"><ul class="pager">${pager}</ul></nav>` : ''}
      ${planForm}`;
    res
      .status(state.status ?? 200)
      .type('html')
      .send(layout(req, { title: t.calendar, body, current: 'meetings' }));
  }

  async function show(req: Request, res: Response, user: SignedInUser, m: Meeting, state: FormState = {}) {
    const lang = langOf(req);
    const t = meetingWords(lang);
    const [nameOf, myVotes, council] = await Promise.all([
      userNames(store),
      store.tasks
        .find(
          { proposalId: { $in: m.agenda.map((i) => i.caseId) }, kind: { $in: Object.keys(itemOfTask) }, assignee: user.actor.userId, status: 'open' },
          { proposalId: 1, kind: 1 },
        )
        .lean(),
      councilOfMeeting(store, m).then((c) => c.members),
    ]);
    const voteOf = new Map(myVotes.map((v) => [`${itemOfTask[v.kind]}:${v.proposalId}`, v._id]));
    const minutes = minutesOf(m);
    const secretariat = hasRole(user.actor, 'secretariat');
    const notices: Record<string, string> = { planned: t.planned, added: t.added, recorded: t.recorded, cancelled: t.cancelledNotice };
    const done = typeof req.query.done === 'string' && Object.hasOwn(notices, req.query.done) ? notices[req.query.done] : undefined;
    const errors = state.errors ?? {};
    const returned = m.status === 'minutesReturned' ? m.minutesReturns?.at(-1) : undefined;
    // Drawn before the summary above them, which names the fields they draw.
    const forms = html`${secretariat && open(m) ? secretariatForms(req, lang, m, await awaitingCouncil(m, lang), council, nameOf, state) : ''}
      ${secretariat && returned ? recordForm(req, lang, m, membersOfRecord(m, council), nameOf, { ...state, values: state.values ?? recordedValues(m) }, 'again') : ''}
      ${secretariat && !open(m) && !returned && state.refusal ? unsavedText(lang, state.values) : ''}`;
    const body = html`<p class="breadcrumb"><a href="/meetings">${t.calendar}</a></p>
      <h1>${t.kinds[m.kind]} ${formatDateTime(lang, m.startsAt)}</h1>
      ${state.refusal ? notice('error', state.refusal) : Object.keys(errors).length ? errorSummary(lang, errors) : done ? notice('success', done) : ''}
      <dl class="meta">
        <div><dt>${t.status}</dt><dd>${t.statuses[m.status]}</dd></div>
        ${m.place ? html`<div><dt>${t.where}</dt><dd>${m.place}</dd></div>` : ''}
        ${
          m.videoLink
            ? // Checked again as drawn, as a case's documents are: a link stored another way never becomes script.
              html`<div><dt>${t.video}</dt><dd>${isWebLink(m.videoLink) ? html`<a href="${m.videoLink}" rel="noopener noreferrer">${m.videoLink}</a>` : html`<code>${m.videoLink}</code>`}</dd></div>`
            : ''
        }
        ${m.cancellation ? html`<div><dt>${t.reason}</dt><dd>${m.cancellation.reason}</dd></div>` : ''}
        ${returned ? html`<div class="minutes-returned"><dt>${t.returnedBy(nameOf(returned.by), formatDateTime(lang, returned.at))}</dt><dd>${returned.comment}</dd></div>` : ''}
        ${
          returned?.correctBy
            ? html`<div class="correct-by"><dt>${t.correctBy}</dt><dd>${formatDateTime(lang, returned.correctBy)}${new Date(returned.correctBy).getTime() < Date.now() ? html` <span class="badge badge-danger">${t.correctionOverdue}</span>` : ''}</dd></div>`
            : ''
        }
      </dl>
      ${
        m.kind === 'council'
          ? html`<h2>${t.agenda}</h2>
      ${
        m.agenda.length === 0
          ? html`<p>${t.noItems}</p>`
          : html`<ol class="agenda">${m.agenda.map(
              (i) => html`<li><strong>${i.title}</strong> (${t.itemKinds[i.kind]} ${i.caseId}${i.round && i.round > 1 ? `, ${t.itemRound(i.round)}` : ''})
              · <a href="${agendaItemPath(i)}">${t.paper}</a>${voteOf.has(`${i.kind}:${i.caseId}`) && newestOfItsCase(m, i) ? html` · <a href="/tasks/${encodeURIComponent(voteOf.get(`${i.kind}:${i.caseId}`)!)}">${t.yourVote}</a>` : ''}</li>`,
            )}</ol>`
      }`
          : ''
      }
      ${minutes ? html`<section aria-labelledby="minutes-title"><h2 id="minutes-title">${t.minutes}</h2><p><a href="${meetingPath(m)}/minutes">${t.openMinutes}</a></p></section>` : ''}
      ${forms}`;
    res
      .status(state.status ?? 200)
      .type('html')
      .send(layout(req, { title: `${t.kinds[m.kind]} ${formatDateTime(lang, m.startsAt)}`, body, current: 'meetings' }));
  }

  /**
   * The cases the secretariat may put on an agenda: proposals before the council, a
   * report awaiting it, the recommendations of a provider or an investor awaiting it
   * (each asked of its workflow, as putting it on the agenda does), and decisions the votes
   * made with no minutes yet: items of a cancelled meeting or recorded as postponed. A case
   * already on this agenda is offered again only for another round of it. A case whose
   * workflow did not answer (Temporal or the workers down, or busy) is not offered, and
   * `unasked` says so, so the list is not taken for all there is.
   */
  async function awaitingCouncil(m: Meeting, lang: Lang): Promise<AwaitingCouncil> {
    const [proposals, reports, selecting, unrecorded] = await Promise.all([
      store.proposals.find({ stage: 'CouncilDecision' }, { 'content.title': 1 }).sort({ _id: 1 }).limit(200).lean(),
      store.reports.find({ status: 'awaitingCouncil' }, { _id: 1 }).lean(),
      store.proposals
        .find({ stage: { $in: Object.values(recommendationStages) } }, { stage: 1 })
        .sort({ _id: 1 })
        .limit(50)
        .lean(),
      // A few meetings a year, read whole as putting a case on an agenda reads them: a case an old one held is offered as it would be taken.
      store.meetings.find({ status: { $in: ['cancelled', 'recorded', 'minutesReturned', 'minutesApproved'] } }, { meeting: 1 }).lean(),
    ]);
    const earlier = unrecorded.map((d) => d.meeting);
    // Titled from the list, without asking the workflow, where this agenda does not have the case yet.
    const titles = new Map<string, string>([
      ...proposals.map((p) => [`proposal:${p._id}`, `${p._id} ${(p.content as { title: string }).title}`] as const),
      ...reports.map((r) => [`annualReport:${r._id}`, dict(lang).report.title(r._id)] as const),
    ]);
    // Only what the meetings read here leave unminuted is asked of its workflow: not every item of every meeting cancelled.
    const known = [...earlier, m];
    const unminuted = earlier.flatMap((held) => held.agenda.filter((i) => i.round !== undefined && awaitsMinutes(known, { ...i, round: i.round })));
    const mayBeForMinutes = (kind: AgendaItemKind, caseId: string) => unminuted.some((i) => i.kind === kind && i.caseId === caseId);
    const candidates: Pick<AgendaItem, 'kind' | 'caseId'>[] = [
      ...proposals.map((p) => ({ kind: 'proposal' as const, caseId: p._id })),
      ...reports.map((r) => ({ kind: 'annualReport' as const, caseId: String(r._id) })),
      ...selecting.flatMap((p) => recommendationKinds.filter((kind) => recommendationStages[kind] === p.stage).map((kind) => ({ kind, caseId: p._id }))),
      ...unminuted,
    ].filter((c, n, all) => all.findIndex((d) => d.kind === c.kind && d.caseId === c.caseId) === n);
    let unasked = false;
    const offered = await Promise.all(
      candidates.map(async ({ kind, caseId }) => {
        const value = `${kind}:${caseId}`;
        const listed = titles.get(value);
        // A case that may have an earlier decision for the minutes is asked which round goes on, and offered as that.
        if (listed && !m.agenda.some((i) => i.kind === kind && i.caseId === caseId) && !mayBeForMinutes(kind, caseId)) return [{ value, label: listed }];
        const awaiting = await cases[kind].awaiting(caseId).catch((err: unknown) => {
          if (outageProblem(err)) unasked = true;
          return undefined;
        });
        const onThisAgenda = awaiting && m.agenda.some((i) => sameDecision(i, { kind, caseId, round: awaiting.round }));
        if (!awaiting || onThisAgenda) return [];
        const label = listed ?? (kind === 'annualReport' ? dict(lang).report.title(Number(caseId)) : `${caseId} ${awaiting.title}`);
        return [{ value, label: awaiting.forMinutes && awaiting.round ? `${label} (${meetingWords(lang).forMinutes(awaiting.round)})` : label }];
      }),
    );
    return { cases: offered.flat(), unasked };
  }

  /** Runs a step; a refusal shows on the meeting page in the reader's words. */
  async function act(req: Request, res: Response, user: SignedInUser, m: Meeting, done: string, step: () => Promise<unknown>) {
    try {
      await step();
    } catch (err) {
      const refusal = refusalIn(err);
      // Told what stands now (the chair's latest return among it), the person records against that: the form names the meeting as it is.
      const { returnsSeen: _seen, ...values } = postedValues(req.body);
      // Its items and people by the agenda's numbers and titles and by name, as the page shows them.
      const [fresh, nameOf] = await Promise.all([load(req), userNames(store)]);
      const lang = langOf(req);
      // A year's report by its title, a proposal by its case number, as the page offers them.
      const caseName = (caseId: string) => (/^\d{4}$/.test(caseId) ? dict(lang).report.title(Number(caseId)) : caseId);
      await show(req, res, user, fresh, { values, refusal: refusalWords(lang, namedParams(refusal.refusal, nameOf, fresh.agenda, caseName)), status: refusal.status });
      return;
    }
    res.redirect(303, `${meetingPath(m)}?done=${done}`);
  }

  /** A form's fields judged by the API's schema: its data, or the page again with the errors. */
  async function parsed<S extends z.ZodType>(
    req: Request,
    schema: S,
    input: unknown,
    again: (state: FormState) => Promise<void>,
    fieldOf?: (path: string) => string,
  ): Promise<z.output<S> | undefined> {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    await again({ values: postedValues(req.body), errors: zodFieldErrors(result.error, langOf(req), fieldOf), status: failedFormStatus(result.error) });
    return undefined;
  }

  router.get('/meetings', async (req, res) => {
    await showCalendar(req, res, reader(req));
  });

  router.post('/meetings', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const body = req.body as Record<string, unknown>;
    const input = {
      kind: str(body, 'kind') || 'council',
      startsAt: fromLocalInput(str(body, 'startsAt')) || undefined, // left empty: required, not a format zod words itself
      ...(str(body, 'place') ? { place: str(body, 'place') } : {}),
      ...(str(body, 'videoLink') ? { videoLink: str(body, 'videoLink') } : {}),
    };
    const plan = await parsed(req, planMeetingInput, input, (s) => showCalendar(req, res, user, s));
    if (!plan) return;
    const m = await meetings.plan(user.actor, plan);
    res.redirect(303, `${meetingPath(m)}?done=planned`);
  });

  router.get('/meetings/:id', async (req, res) => {
    const user = reader(req);
    const meeting = await loadRead(req, user.actor.userId);
    await show(req, res, user, meeting);
  });

  router.get('/meetings/:id/minutes', async (req, res) => {
    const user = reader(req);
    const lang = langOf(req);
    const m = await loadRead(req, user.actor.userId);
    const minutes = minutesOf(m);
    const t = dict(lang).problem;
    if (!minutes) throw new PageProblem(404, t.notFound, t.notFoundText);
    const w = meetingWords(lang);
    const title = w.minutesOf(formatDateTime(lang, m.startsAt));
    const body = html`<p class="breadcrumb screen-only"><a href="${meetingPath(m)}">${w.kinds[m.kind]}</a></p><h1>${title}</h1>${minutesDocument(lang, minutes, await userNames(store))}`;
    res.type('html').send(layout(req, { title, body, current: 'meetings' }));
  });

  router.post('/meetings/:id/items', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const m = await loadRead(req, user.actor.userId);
    const [kind, caseId] = str(req.body, 'case').split(/:(.*)/);
    const item = await parsed(req, agendaItemInput, { kind, caseId }, (s) => show(req, res, user, m, { ...s, errors: { case: Object.values(s.errors ?? {})[0] ?? '' } }));
    if (item) await act(req, res, user, m, 'added', () => meetings.addItem(user.actor, m, item));
  });

  router.post('/meetings/:id/record', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const m = await loadRead(req, user.actor.userId);
    const body = req.body as Record<string, unknown>;
    const ticked = (prefix: string) => Object.keys(body).flatMap((k) => (k.startsWith(prefix) && body[k] === 'yes' ? [k.slice(prefix.length)] : []));
    const input = {
      present: ticked('present.'),
      items: m.agenda.map((i) => ({
        itemId: i.id,
        decision: str(body, `items.${i.id}.decision`),
        conflicts: ticked(`items.${i.id}.conflict.`),
        ...(str(body, `items.${i.id}.note`) ? { note: str(body, `items.${i.id}.note`) } : {}),
      })),
      ...(str(body, 'returnsSeen') ? { returnsSeen: Number(str(body, 'returnsSeen')) } : {}),
    };
    // The schema counts items (items.0.note), the form names them by their agenda id (items.i1.note).
    const fieldOf = (path: string) => path.replace(/^items\.(\d+)\./, (whole, n: string) => (m.agenda[Number(n)] ? `items.${m.agenda[Number(n)].id}.` : whole));
    const record = await parsed(req, meetingRecordInput, input, (s) => show(req, res, user, m, s), fieldOf);
    if (record) await act(req, res, user, m, 'recorded', () => meetings.record(user.actor, m, record));
  });

  router.post('/meetings/:id/cancel', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const m = await loadRead(req, user.actor.userId);
    const cancel = await parsed(req, cancelMeetingInput, { reason: str(req.body, 'reason') }, (s) => show(req, res, user, m, s));
    if (cancel) await act(req, res, user, m, 'cancelled', () => meetings.cancel(user.actor, m, cancel.reason));
  });

  return router;
}

/** The cases the secretariat may put on an agenda, and whether some could not be asked. */
interface AwaitingCouncil {
  cases: { value: string; label: string }[];
  unasked: boolean;
}

/** The secretariat's forms on a meeting not yet held: put a case on the agenda, record the meeting, cancel it. */
function secretariatForms(req: Request, lang: Lang, m: Meeting, { cases, unasked }: AwaitingCouncil, members: string[], nameOf: (id: string) => string, state: FormState): Html {
  const t = meetingWords(lang);
  const errors = state.errors ?? {};
  const v = state.values ?? {};
  const candidates = cases.filter((c) => agendaItemKinds.some((k) => c.value.startsWith(`${k}:`)));
  const addable = m.kind === 'council' && !meetingOver(m, Date.now());
  return html`${addable && unasked ? awaitingWorkflow(req, { unavailable: false, again: meetingPath(m), text: t.casesUnasked }) : ''}${
    addable && candidates.length
      ? html`<section aria-labelledby="add-title"><h2 id="add-title">${t.addItem}</h2>
    <form method="post" action="${meetingPath(m)}/items" novalidate class="stacked-form">${csrfField(req)}
      ${selectField({ name: 'case', label: t.caseId, value: v.case, errors, options: candidates })}
      <button type="submit">${t.addItemSubmit}</button>
    </form></section>`
      : ''
  }
    ${
      // Begun, it is recorded, not cancelled (`cancelRefusal`).
      Date.now() >= Date.parse(m.startsAt)
        ? recordForm(req, lang, m, members, nameOf, state, 'first')
        : html`<section aria-labelledby="cancel-title"><h2 id="cancel-title">${t.cancel}</h2>
    <form method="post" action="${meetingPath(m)}/cancel" novalidate class="stacked-form">${csrfField(req)}
      ${textArea({ name: 'reason', label: t.reason, value: v.reason, errors, rows: 2 })}
      <button type="submit" class="secondary">${t.cancelSubmit}</button>
    </form></section>`
    }`;
}

/** The secretariat's record of the meeting: once held, and again after the chair returned the minutes. */
function recordForm(req: Request, lang: Lang, m: Meeting, members: string[], nameOf: (id: string) => string, state: FormState, time: 'first' | 'again'): Html {
  const t = meetingWords(lang);
  const errors = state.errors ?? {};
  const v = state.values ?? {};
  return html`<section aria-labelledby="record-title"><h2 id="record-title">${time === 'first' ? t.record : t.recordAgain}</h2><p class="hint">${time === 'first' ? t.recordIntro : t.recordAgainIntro}</p>
    <form method="post" action="${meetingPath(m)}/record" novalidate class="stacked-form">${csrfField(req)}<input type="hidden" name="returnsSeen" value="${v.returnsSeen ?? m.minutesReturns?.length ?? 0}">
      <fieldset><legend>${t.present}</legend>${members.map((id) => checkbox({ name: `present.${id}`, label: nameOf(id), checked: v[`present.${id}`] === 'yes', errors }))}</fieldset>
      ${m.agenda.map(
        (i, n) => html`<fieldset><legend>${t.item(n + 1)}: ${t.titleOf(i)}</legend>
        ${selectField({
          name: `items.${i.id}.decision`,
          label: t.decision,
          group: t.item(n + 1),
          value: v[`items.${i.id}.decision`],
          errors,
          options: itemDecisions.map((d) => ({ value: d, label: t.decisions[d] })),
        })}
        <fieldset><legend>${t.conflicts}</legend>${members.map((id) =>
          checkbox({ name: `items.${i.id}.conflict.${id}`, label: nameOf(id), checked: v[`items.${i.id}.conflict.${id}`] === 'yes', errors }),
        )}</fieldset>
        ${textArea({ name: `items.${i.id}.note`, label: t.note, group: t.item(n + 1), value: v[`items.${i.id}.note`], errors, rows: 2 })}
      </fieldset>`,
      )}
      <button type="submit">${t.recordSubmit}</button>
    </form></section>`;
}

/** The form's fields as the meeting was recorded, for correcting it. */
function recordedValues(m: Meeting): Record<string, string> {
  const r = m.record;
  if (!r) return {};
  return Object.fromEntries([
    ...r.present.map((id) => [`present.${id}`, 'yes']),
    ...r.items.flatMap((i) => [
      [`items.${i.itemId}.decision`, i.decision],
      ...i.conflicts.map((id) => [`items.${i.itemId}.conflict.${id}`, 'yes']),
      ...(i.note ? [[`items.${i.itemId}.note`, i.note]] : []),
    ]),
  ]);
}
