import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { mayReadMeetings } from '../../domain/accessPolicy';
import {
  agendaItemPath,
  agendaRefusal,
  otherAgendasRefusal,
  cancelRefusal,
  checkRecordedAgain,
  checkRecordedItem,
  membersOfRecord,
  recordRefusal,
  meetingWorkflowId,
  type Meeting,
  type RecordedItem,
} from '../../domain/meeting';
import { agendaItemInput, cancelMeetingInput, meetingRecordInput, planMeetingInput, type MeetingRecordInput, type PlanMeeting } from '../../domain/meetingInput';
import { minutesOf } from '../../domain/minutes';
import { copenhagenDay } from '../../domain/dates';
import { fromLocalInput } from '../../domain/localTime';
import type { Actor } from '../../domain/people';
import type { Refusal } from '../../domain/refusals';
import type { Store } from '../../store';
import { meetingsFrom, saveMeeting } from '../../store/meetings';
import { serialised } from '../../store/serialised';
import { councilOfMeeting } from '../../store/people';
import { addAgendaItemUpdate, cancelMeetingUpdate, meetingSettings, recordMeetingUpdate, type MeetingInput } from '../../workflows/councilMeeting';
import { actorOf, requireRole } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { agendaCases } from '../meetingItems';
import { digestForRequest } from '../requestContext';
import { recordRead } from '../accessLog';
import { conflict, forbidden, notFound, parseBody } from '../problem';
import { named, route, type AnyRoute } from '../registry';
import { calendarReply, meetingReply, minutesReply } from '../replies/meetings';
import { pageNumber } from '../params';

export const meetingIdParam = z.string().regex(/^M-\d{8}-[0-9a-f]{6}$/);
/** The calendar a hundred meetings at a time: years of a council's meetings. */
export const calendarPageSize = 100;
export const calendarQuery = z.strictObject({
  from: z.iso.date().optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(calendarPageSize).default(calendarPageSize),
});

/** Past the longest an Update to a meeting is waited for (api/lifecycle.ts): a lock older than this was left by a process that died. */
const agendaLeaseMs = 60_000;

/**
 * A new meeting's id: its day in Copenhagen, and a part of its own so two meetings on one day differ, made
 * from the request's key when it has one, so the same form or Idempotency-Key sent again
 * (after a 503) names the same meeting rather than planning a second.
 */
const newMeetingId = (startsAt: string) =>
  `M-${copenhagenDay(new Date(startsAt)).replaceAll('-', '')}-${(digestForRequest('meeting') ?? randomBytes(3).toString('hex')).slice(0, 6)}`;

/**
 * A step the meeting's status (as the calendar shows it) refuses, refused before the
 * cases are looked up and after its workflow has ended; the workflow judges again.
 */
function refuseIf(refusal: Refusal | undefined) {
  if (refusal) throw conflict(refusal);
}

/** The council, the secretariat, the mayor and operators read meetings; nobody else. */
export function requireMeetingReader(req: Request): Actor {
  const actor = actorOf(req);
  if (!mayReadMeetings(actor)) throw forbidden({ code: 'needsRole', roles: ['councilMember', 'councilChair', 'secretariat', 'mayor', 'operator'] });
  return actor;
}

/** The meeting as the API shows it: each item with its decision paper's page, and the minutes once recorded. */
export const meetingView = (m: Meeting) => ({
  ...m,
  agenda: m.agenda.map((i) => ({ ...i, paper: agendaItemPath(i) })),
  minutes: minutesOf(m) ?? null,
});

/**
 * The council's meetings (rådsmøder): the secretariat plans them, puts cases awaiting
 * the council on the agenda, records attendance and decisions, or cancels; the chair
 * approves the minutes through a task, the members vote through theirs.
 */
export function meetingService(config: Config, store: Store, lifecycle: LifecycleClient) {
  const cases = agendaCases(store, lifecycle);

  async function load(id: string): Promise<Meeting> {
    const meetingId = parseBody(meetingIdParam, id);
    const doc = await store.meetings.findById(meetingId).lean();
    if (!doc) throw notFound('meeting', meetingId);
    return doc.meeting;
  }

  const update = <A extends { actor: Actor }>(m: Meeting, def: Parameters<LifecycleClient['updateWorkflow']>[1], arg: A) =>
    lifecycle.updateWorkflow(meetingWorkflowId(m.id), def, arg, { case: 'workflow', id: m.id }) as Promise<Meeting>;

  return {
    load,

    /**
     * Written to the calendar first, then its workflow starts: the planner finds it at once. A
     * start that fails takes the entry off the calendar again (unless its workflow wrote it
     * since); one sent again finds the meeting its first sending planned.
     */
    async plan(actor: Actor, input: PlanMeeting): Promise<Meeting> {
      const meetingId = newMeetingId(input.startsAt);
      const start: MeetingInput = { meetingId, ...input, plannedBy: actor.userId, settings: meetingSettings(config.council, config.deadlines) };
      const meeting: Meeting = { id: meetingId, ...input, status: 'planned', plannedBy: actor.userId, agenda: [] };
      await saveMeeting(store, { meeting, workflowId: meetingWorkflowId(meetingId), seq: 0, at: new Date().toISOString() });
      try {
        await lifecycle.startMeeting(start);
        return meeting;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
          await store.meetings.deleteOne({ _id: meetingId, seq: 0 }).catch(() => undefined);
          throw err;
        }
        return load(meetingId);
      }
    },

    /**
     * The other agendas are read under the case's lock, held until this agenda has
     * changed: of two people putting one case on two meetings at once, the second reads
     * the first's agenda with the case on it. An addition whose answer was lost to an
     * outage and lands later still slips past; the lease outlasts every bounded Update.
     */
    async addItem(actor: Actor, m: Meeting, given: z.output<typeof agendaItemInput>): Promise<Meeting> {
      refuseIf(agendaRefusal(m, undefined, Date.now()));
      return serialised(
        store,
        `agenda:${given.kind}:${given.caseId}`,
        async () => {
          const { title, round } = await cases[given.kind].awaiting(given.caseId);
          const item = { ...given, ...(round === undefined ? {} : { round }) };
          refuseIf(agendaRefusal(m, item, Date.now()));
          // A few meetings a year: read whole, which the embedded database does anyway for a query into the agenda.
          const all = await store.meetings.find({}, { meeting: 1 }).lean();
          refuseIf(
            otherAgendasRefusal(
              m.id,
              all.map((d) => d.meeting),
              item,
            ),
          );
          return update(m, addAgendaItemUpdate, { actor, item: { ...item, title } });
        },
        agendaLeaseMs,
        // The first addition may wait that long for its Update: the second waits it out, to be told onAnotherAgenda.
        agendaLeaseMs,
      );
    },

    /**
     * Who attended and what the council decided on each item, checked against the
     * members' own votes before the workflow records it. The absent are the council's
     * members who were not present. Recorded again after the chair returned the minutes,
     * the council and the decisions are those of the meeting (`checkRecordedAgain`).
     */
    async record(actor: Actor, m: Meeting, input: MeetingRecordInput): Promise<Meeting> {
      refuseIf(recordRefusal(m, input.items, Date.now(), input.returnsSeen));
      const members = membersOfRecord(m, (await councilOfMeeting(store, m)).members);
      const stranger = [...input.present, ...input.items.flatMap((i) => i.conflicts)].find((id) => !members.includes(id));
      if (stranger) throw conflict({ code: 'notOnCouncil', userId: stranger });
      const first = m.status === 'minutesReturned' ? m.record : undefined;
      const items: RecordedItem[] = [];
      for (const given of input.items) {
        const item = m.agenda.find((i) => i.id === given.itemId);
        if (!item) throw conflict({ code: 'recordEachItem', items: m.agenda.map((i) => i.id) });
        const outcome = await cases[item.kind].outcome(item, m.id);
        const firstItem = first?.items.find((i) => i.itemId === given.itemId);
        const checked = firstItem ? checkRecordedAgain(given, firstItem, outcome) : checkRecordedItem(given, outcome);
        if ('refusal' in checked) throw conflict(checked.refusal);
        items.push(checked.recorded);
      }
      const present = [...new Set(input.present)].sort();
      const absent = members.filter((id) => !present.includes(id));
      return update(m, recordMeetingUpdate, { actor, record: { present, absent, items }, ...(input.returnsSeen === undefined ? {} : { returnsSeen: input.returnsSeen }) });
    },

    cancel(actor: Actor, m: Meeting, reason: string): Promise<Meeting> {
      refuseIf(cancelRefusal(m, Date.now()));
      return update(m, cancelMeetingUpdate, { actor, reason });
    },

    /** A page of the calendar from a day on (by default the last three months and everything ahead). */
    calendar: (from?: string, page = 1, pageSize = calendarPageSize) =>
      meetingsFrom(store, from ? new Date(fromLocalInput(`${from}T00:00`)) : new Date(Date.now() - 92 * 86_400_000), { skip: (page - 1) * pageSize, limit: pageSize }),
  };
}

const meetingParams = z.strictObject({ id: meetingIdParam });

export function meetingRoutes(config: Config, store: Store, lifecycle: LifecycleClient): AnyRoute[] {
  const meetings = meetingService(config, store, lifecycle);
  const theMeeting = { 200: { description: 'the meeting', schema: named('Meeting', meetingReply) } };
  /**
   * A meeting shown, attendance and conflicts included, goes on the access log as a read. A
   * change's answer shows it too: recorded before the change is made, so a log that cannot
   * be written refuses the change rather than leave a retry to make it twice. A new meeting
   * shows no one yet.
   */
  const shown = (req: Request, reader: Actor, meetingId: string) => recordRead(store, req, reader.userId, { what: 'meeting', meetingId });
  /** The meeting, its read recorded once it is found: a read of a meeting that does not exist is no read. */
  const loadShown = async (req: Request, reader: Actor, id: string) => {
    const meeting = await meetings.load(id);
    await shown(req, reader, id);
    return meeting;
  };

  return [
    route({
      id: 'listMeetings',
      method: 'get',
      path: '/meetings',
      summary: 'The meeting calendar from a day on (default: the last three months and all ahead), soonest first, paged, with the total',
      query: calendarQuery,
      replies: { 200: { description: 'meetings', schema: calendarReply } },
      errors: [403],
      handle: async (req, res, input) => {
        const reader = requireMeetingReader(req);
        const q = input.query();
        const { total, docs } = await meetings.calendar(q.from, q.page, q.pageSize);
        // A recorded meeting shows who attended and who declared a conflict of interest: each one listed is a read on record.
        await Promise.all(docs.filter((d) => d.meeting.record).map((d) => shown(req, reader, d.meeting.id)));
        res.json({ page: q.page, pageSize: q.pageSize, total, items: docs.map((d) => meetingView(d.meeting)) });
      },
    }),
    route({
      id: 'planMeeting',
      method: 'post',
      path: '/meetings',
      summary:
        'Plan a council meeting or the dialogue meeting with the Magistrate: when, and a place or a video link (secretariat); the agenda goes out council.agendaNotice before it',
      body: named('MeetingPlan', planMeetingInput),
      replies: {
        201: {
          description: 'the planned meeting',
          schema: named('Meeting', meetingReply),
          links: {
            getMeeting: { operationId: 'getMeeting', parameters: { id: '$response.body#/id' }, description: 'read it' },
            addAgendaItem: { operationId: 'addAgendaItem', parameters: { id: '$response.body#/id' }, description: 'put a case on its agenda' },
          },
        },
      },
      errors: [403],
      rules: ['meetingAhead', 'placeOrVideo'],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const meeting = await meetings.plan(actor, input.body());
        res.status(201).location(`/api/meetings/${meeting.id}`).json(meetingView(meeting));
      },
    }),
    route({
      id: 'getMeeting',
      method: 'get',
      path: '/meetings/:id',
      summary: 'A meeting: status, agenda with each decision paper, the record and the minutes once recorded',
      params: meetingParams,
      replies: theMeeting,
      errors: [403, 404],
      handle: async (req, res, input) => {
        const reader = requireMeetingReader(req);
        const { id } = input.params();
        const meeting = await loadShown(req, reader, id);
        res.json(meetingView(meeting));
      },
    }),
    route({
      id: 'getMinutes',
      method: 'get',
      path: '/meetings/:id/minutes',
      summary: "The minutes (referat) generated from the record, with the chair's approval once given; 409 noMinutesYet before the meeting is recorded",
      params: meetingParams,
      replies: { 200: { description: 'the minutes', schema: named('Minutes', minutesReply) } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        const reader = requireMeetingReader(req);
        const { id } = input.params();
        const meeting = await loadShown(req, reader, id);
        const minutes = minutesOf(meeting);
        // The meeting is there; its minutes come with its record (a client following the meeting's link learns when).
        if (!minutes) throw conflict({ code: 'noMinutesYet', status: meeting.status });
        res.json(minutes);
      },
    }),
    route({
      id: 'addAgendaItem',
      method: 'post',
      path: '/meetings/:id/items',
      summary:
        "Put a case awaiting the council on the agenda: a proposal in CouncilDecision, a recommendation, or the annual report (secretariat); also a decision the votes made that no minutes hold yet (its meeting cancelled, or the item recorded as postponed), the oldest first. 409 notAwaitingCouncil, alreadyOnAgenda, meetingNotOpen. In meeting voting the proposal's vote tasks open now",
      params: meetingParams,
      body: named('AgendaItem', agendaItemInput),
      replies: theMeeting,
      errors: [403, 404, 409, 410],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const item = input.body();
        const { id } = input.params();
        const meeting = await loadShown(req, actor, id);
        res.json(meetingView(await meetings.addItem(actor, meeting, item)));
      },
    }),
    route({
      id: 'recordMeeting',
      method: 'post',
      path: '/meetings/:id/record',
      summary:
        "Record attendance and each item's decision with any conflicts of interest, at or after the meeting (secretariat); the decision must be the one the members' votes gave (409 decisionDiffersFromVotes), or postponed while they have not (409 votesOutstanding). The chair gets the minutes to approve, or returns them (status minutesReturned, the comment under minutesReturns): the meeting is then recorded again here",
      params: meetingParams,
      body: named('MeetingRecord', meetingRecordInput),
      replies: { 200: { description: 'the recorded meeting', schema: named('Meeting', meetingReply) } },
      errors: [403, 404, 409, 410],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const record = input.body();
        const { id } = input.params();
        const meeting = await loadShown(req, actor, id);
        res.json(meetingView(await meetings.record(actor, meeting, record)));
      },
    }),
    route({
      id: 'cancelMeeting',
      method: 'post',
      path: '/meetings/:id/cancel',
      summary: 'Cancel a meeting before it begins; once begun it is recorded instead, its undecided items postponed (secretariat)',
      params: meetingParams,
      body: named('MeetingCancellation', cancelMeetingInput),
      replies: { 200: { description: 'the cancelled meeting', schema: named('Meeting', meetingReply) } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const { reason } = input.body();
        const { id } = input.params();
        const meeting = await loadShown(req, actor, id);
        res.json(meetingView(await meetings.cancel(actor, meeting, reason)));
      },
    }),
  ];
}
