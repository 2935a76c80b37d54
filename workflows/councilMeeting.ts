import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
  type CancellationScope,
} from '@temporalio/workflow';
import type { NotifyRequest } from '../activities/notifications';
import type { TaskRef } from '../domain/lifecycleState';
import {
  agendaDueIn,
  agendaRefusal,
  cancelRefusal,
  isProposalItem,
  minutesReturnRefusal,
  recordRefusal,
  timelineCaseOf,
  type AgendaItem,
  type Meeting,
  type MeetingKind,
  type MeetingRecord,
} from '../domain/meeting';
import { hasRole, type Actor } from '../domain/people';
import type { TaskInput } from '../domain/tasks';
import { acts } from './activities';
import { workflowIdFor } from './input';
import { completeTaskUpdate, conflict, forbidden, onAgendaSignal, setUpdateHandler } from './messages';
import { answerableTask, recordAnswer } from './taskCompletion';
import { watchDeadline } from './taskDeadline';
import { handleTaskPool, recordHandover } from './taskPool';
import { handleTaskReassignment, recordReassignment } from './taskReassignment';
import { copenhagenDay } from '../domain/dates';

export interface MeetingSettings {
  /** How long before the meeting the agenda and its decision papers go out. */
  agendaNotice: number;
  /** How long before the dialogue meeting its participants are reminded. */
  dialogueReminder: number;
  /** The chair's deadline to approve the minutes, and the reminder before it. */
  minutesApproval: number;
  reminderBefore: number;
  /** The secretariat's deadline to record the meeting again after the chair returned the minutes; meetings planned before it existed take the chair's `minutesApproval`. */
  minutesCorrection?: number;
}

/** A meeting's settings, from the council's settings and the tasks' reminder lead time: fixed when it is planned. */
export const meetingSettings = (
  { agendaNotice, dialogueReminder, minutesApproval, minutesCorrection }: Omit<MeetingSettings, 'reminderBefore'>,
  { reminderBefore }: Pick<MeetingSettings, 'reminderBefore'>,
): MeetingSettings => ({ agendaNotice, dialogueReminder, minutesApproval, reminderBefore, minutesCorrection });

export interface MeetingInput {
  meetingId: string;
  kind: MeetingKind;
  startsAt: string;
  place?: string;
  videoLink?: string;
  plannedBy: string;
  /** Fixed when the meeting is planned, as a proposal's deadlines are. */
  settings: MeetingSettings;
}

export const meetingQuery = defineQuery<Meeting>('meeting');
/** The secretariat puts a case on the agenda; the API has found it awaiting the council, and its title. */
export const addAgendaItemUpdate = defineUpdate<Meeting, [{ actor: Actor; item: Pick<AgendaItem, 'kind' | 'caseId' | 'round' | 'title'> }]>('addAgendaItem');
/** The secretariat records the meeting; the API has checked each item's decision against the members' votes. */
export const recordMeetingUpdate = defineUpdate<Meeting, [{ actor: Actor; record: Pick<MeetingRecord, 'present' | 'absent' | 'items'>; returnsSeen?: number }]>('recordMeeting');
export const cancelMeetingUpdate = defineUpdate<Meeting, [{ actor: Actor; reason: string }]>('cancelMeeting');

/** Who hears of a meeting: the council and the secretariat; the Magistrate's dialogue meeting the mayor too. */
const participants = (kind: MeetingKind): NotifyRequest['to'] => ({
  roles: kind === 'dialogue' ? ['councilMember', 'councilChair', 'secretariat', 'mayor'] : ['councilMember', 'councilChair', 'secretariat'],
});

/**
 * One meeting of the council (rådsmøde), or the yearly dialogue meeting with the
 * Magistrate: planned by the secretariat, its agenda and decision papers sent a
 * configured time ahead (the dialogue meeting's reminder likewise), recorded at or
 * after the meeting, and its minutes (referat) approved by the chair by a task. Each
 * proposal or recommendation put on the agenda is told, so in meeting mode its
 * council's tasks open then.
 * The history holds a bounded agenda and a handful of steps.
 */
export async function councilMeeting(input: MeetingInput): Promise<Meeting> {
  const { meetingId, settings } = input;
  const meeting: Meeting = {
    id: meetingId,
    kind: input.kind,
    startsAt: input.startsAt,
    ...(input.place ? { place: input.place } : {}),
    ...(input.videoLink ? { videoLink: input.videoLink } : {}),
    status: 'planned',
    plannedBy: input.plannedBy,
    agenda: [],
  };
  const tasks: TaskRef[] = [];
  const watchers = new Map<string, CancellationScope>();
  let answer: { by: string; at: string; input: TaskInput<'minutesApproval'> } | undefined;
  let seq = 0;
  const now = () => new Date().toISOString();
  const day = copenhagenDay(new Date(input.startsAt));

  /** The read model follows every change; `seq` keeps a late write from taking it back. */
  const save = () => acts.saveMeeting({ meeting, workflowId: workflowInfo().workflowId, seq: ++seq, at: now() });
  const notify = (key: string, event: NotifyRequest['event']) => acts.notify({ key: `${meetingId}.${key}`, event, proposalId: meetingId, to: participants(meeting.kind) });
  const requireSecretariat = (actor: Actor) => {
    if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
  };

  setHandler(meetingQuery, () => meeting);

  setUpdateHandler(
    addAgendaItemUpdate,
    async ({ actor, item }) => {
      const added: AgendaItem = { ...item, id: `i${meeting.agenda.length + 1}`, addedBy: actor.userId, addedAt: now() };
      // On the agenda before any await, so a second request for the same case is refused by the validator.
      meeting.agenda.push(added);
      await save();
      await acts.recordEvent({
        key: `${meetingId}.${added.id}.onAgenda`,
        proposalId: timelineCaseOf(added),
        type: 'onAgenda',
        by: actor.userId,
        at: added.addedAt,
        details: { meetingId, startsAt: meeting.startsAt },
      });
      // A proposal or a recommendation waiting for a meeting (council.voting "meeting") opens its tasks now.
      // A proposal withdrawn since the API looked has closed and waits for nothing: the item stays on the agenda, to be recorded as what happened.
      if (isProposalItem(added.kind))
        await getExternalWorkflowHandle(workflowIdFor(added.caseId))
          .signal(onAgendaSignal, { meetingId, ...(added.kind === 'proposal' ? {} : { kind: added.kind }), ...(added.round === undefined ? {} : { round: added.round }) })
          .catch(() => undefined);
      // The agenda has gone out already: the members hear of the new item and its paper.
      if (meeting.status === 'agendaSent') await notify(`${added.id}.added`, 'agendaItemAdded');
      return meeting;
    },
    {
      validator: ({ actor, item }) => {
        requireSecretariat(actor);
        const refusal = agendaRefusal(meeting, item, Date.now());
        if (refusal) throw conflict(refusal);
      },
    },
  );

  setUpdateHandler(
    recordMeetingUpdate,
    async ({ actor, record }) => {
      meeting.record = { ...record, by: actor.userId, at: now() };
      meeting.status = 'recorded';
      await save();
      return meeting;
    },
    {
      validator: ({ actor, record, returnsSeen }) => {
        requireSecretariat(actor);
        const refusal = recordRefusal(meeting, record.items, Date.now(), returnsSeen);
        if (refusal) throw conflict(refusal);
      },
    },
  );

  setUpdateHandler(
    cancelMeetingUpdate,
    async ({ actor, reason }) => {
      meeting.cancellation = { by: actor.userId, at: now(), reason };
      meeting.status = 'cancelled';
      await save();
      await notify('cancelled', 'meetingCancelled');
      return meeting;
    },
    {
      validator: ({ actor }) => {
        requireSecretariat(actor);
        const refusal = cancelRefusal(meeting, Date.now());
        if (refusal) throw conflict(refusal);
      },
    },
  );

  setUpdateHandler(
    completeTaskUpdate,
    async ({ actor, taskId, input: given }) => {
      const at = await recordAnswer(
        tasks.find((t) => t.id === taskId)!,
        meetingId,
        actor,
        given,
        watchers,
      );
      answer = { by: actor.userId, at, input: given as TaskInput<'minutesApproval'> };
      // Approved, or returned to the secretariat.
      await condition(() => meeting.status !== 'recorded');
      return { meetingStatus: meeting.status, completedAt: at };
    },
    {
      validator: ({ actor, taskId, input: given }) => {
        const asked = tasks.find((t) => t.id === taskId);
        if (asked?.kind === 'minutesCorrection' && asked.status === 'open') throw conflict({ code: 'closesWhenRecorded' });
        const task = answerableTask(tasks, actor, taskId);
        // The chair as the person is now, not when the meeting was recorded.
        if (!hasRole(actor, task.role)) throw forbidden({ code: 'taskNeedsRole', role: task.role });
        const refusal = (given as TaskInput<'minutesApproval'>).decision === 'return' ? minutesReturnRefusal(meeting) : undefined;
        if (refusal) throw conflict(refusal);
      },
    },
  );

  // The chair's approval is personal (taskPersonal); the secretariat's correction any of it may take.
  handleTaskPool({ tasks, now, blocked: () => undefined, assign: recordHandover(meetingId) });
  // A chair who steps down hands the minutes to the new chair; the secretariat's correction goes back to its pool.
  handleTaskReassignment({
    tasks,
    now,
    successor: (task, leaving) => acts.successorFor({ role: task.role, leaving }),
    assign: recordReassignment(meetingId),
  });

  const settled = () => meeting.status === 'recorded' || meeting.status === 'cancelled';

  await save();
  // The agenda (or the dialogue meeting's reminder) goes out its notice period ahead; a cancellation or an early record ends the wait.
  const notice = meeting.kind === 'dialogue' ? settings.dialogueReminder : settings.agendaNotice;
  const noticeIn = agendaDueIn(meeting.startsAt, notice, Date.now());
  if (noticeIn > 0) await condition(settled, noticeIn);
  if (!settled()) {
    meeting.status = 'agendaSent';
    meeting.agendaSentAt = now();
    await save();
    await notify('agenda', meeting.kind === 'dialogue' ? 'dialogueReminder' : 'meetingAgenda');
  }
  await condition(settled);
  if (meeting.status === 'cancelled') {
    await condition(allHandlersFinished);
    return meeting;
  }

  const titled = (what: string) => `${meeting.kind === 'dialogue' ? 'Dialogmøde med Magistraten' : 'Rådsmøde'} ${day}: ${what}`;

  /** The chair's task on the minutes: the first, and again for each correction (`round`). */
  async function askChair(round: number) {
    const chair = await acts.resolveAssignee({ role: 'councilChair' });
    const task: TaskRef = {
      id: round === 1 ? `${meetingId}.minutesApproval` : `${meetingId}.minutesApproval.${round}`,
      kind: 'minutesApproval',
      assignee: chair,
      role: 'councilChair',
      dueAt: new Date(Date.now() + settings.minutesApproval).toISOString(),
      status: 'open',
      overdue: false,
      // The inbox tells the corrected minutes' approval from the first.
      round,
    };
    tasks.push(task);
    watchers.set(
      task.id,
      watchDeadline({
        task,
        dueInMs: settings.minutesApproval,
        reminderBefore: settings.reminderBefore,
        caseId: meetingId,
        now,
        escalateTo: () => ({ roles: ['secretariat'] }),
      }),
    );
    await acts.openTask({
      ...task,
      assignee: chair,
      proposalId: meetingId,
      title: titled(round === 1 ? 'referat' : 'rettet referat'),
      at: now(),
      workflowId: workflowInfo().workflowId,
    });
  }

  /**
   * The secretariat's task to correct returned minutes, in its inbox beside the mail: the one who
   * recorded the meeting while they are still in the secretariat, and any of it may take it.
   * Nothing answers it: it closes as done by whoever records the meeting again.
   */
  async function askCorrection(round: number, correctBy: string): Promise<TaskRef> {
    const recorder = await acts.resolveAssignee({ role: 'secretariat', preferring: meeting.record!.by });
    const task: TaskRef = {
      id: `${meetingId}.minutesCorrection.${round}`,
      kind: 'minutesCorrection',
      assignee: recorder,
      role: 'secretariat',
      dueAt: correctBy,
      status: 'open',
      overdue: false,
      round,
    };
    tasks.push(task);
    await acts.openTask({ ...task, assignee: recorder, proposalId: meetingId, title: titled('ret referatet'), at: now(), workflowId: workflowInfo().workflowId });
    return task;
  }

  // Returned minutes go back to the secretariat; once it has recorded the meeting again, the chair is asked again.
  let approval: NonNullable<typeof answer> | undefined;
  for (let round = 1; !approval; round++) {
    await askChair(round);
    await condition(() => answer !== undefined);
    const given = answer!;
    answer = undefined;
    if (given.input.decision === 'approve') {
      approval = given;
      continue;
    }
    // Returns before the secretariat had a deadline wait as they did, without one.
    const correctBy = patched('minutes-correction-deadline') ? new Date(Date.now() + (settings.minutesCorrection ?? settings.minutesApproval)).toISOString() : undefined;
    meeting.minutesReturns = [...(meeting.minutesReturns ?? []), { by: given.by, at: given.at, comment: given.input.comment, ...(correctBy ? { correctBy } : {}) }];
    meeting.status = 'minutesReturned';
    await save();
    const toSecretariat = { proposalId: meetingId, to: { roles: ['secretariat' as const] } };
    // Returns before the secretariat had a task for the correction have only the mails.
    const correction = correctBy !== undefined && patched('minutes-correction-task') ? await askCorrection(round, correctBy) : undefined;
    await acts.notify({ key: `${meetingId}.minutesReturned.${round}`, event: 'minutesReturned', ...toSecretariat });
    const recordedAgain = () => meeting.status === 'recorded';
    // The secretariat is asked once more when the deadline passes: one mail a return, and its task marked overdue.
    // Timed from the deadline shown, not from now: the record and the mail before may have taken their time.
    if (correctBy !== undefined && !(await condition(recordedAgain, Math.max(1, Date.parse(correctBy) - Date.now())))) {
      if (correction) {
        correction.overdue = true;
        await acts.markTaskOverdue({ taskId: correction.id, at: now() });
      }
      await acts.notify({ key: `${meetingId}.minutesCorrectionOverdue.${round}`, event: 'minutesCorrectionOverdue', ...toSecretariat });
    }
    await condition(recordedAgain);
    if (correction) {
      const { by, at } = meeting.record!;
      Object.assign(correction, { status: 'completed', assignee: by, completedBy: by, completedAt: at });
      await acts.completeTask({ taskId: correction.id, proposalId: meetingId, by, at, input: {} });
    }
  }
  meeting.minutesApproval = { by: approval.by, at: approval.at, ...(approval.input.comment ? { comment: approval.input.comment } : {}) };
  // On each case's timeline before the meeting says approved, so whoever looks finds them there.
  for (const item of meeting.agenda) {
    const recorded = meeting.record!.items.find((i) => i.itemId === item.id);
    await acts.recordEvent({
      key: `${meetingId}.${item.id}.minutesApproved`,
      proposalId: timelineCaseOf(item),
      type: 'minutesApproved',
      by: approval.by,
      at: approval.at,
      details: { meetingId, startsAt: meeting.startsAt, decision: recorded?.decision },
    });
  }
  meeting.status = 'minutesApproved';
  await save();
  await notify('minutesApproved', 'minutesApproved');
  await condition(allHandlersFinished);
  return meeting;
}
