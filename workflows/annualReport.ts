import { allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, patched, setHandler, workflowInfo, type CancellationScope } from '@temporalio/workflow';
import { appliedUpdates, carryAppliedUpdates, type AppliedUpdates } from './appliedUpdates';
import { annualReportWorkflowId, type ReportStatus } from '../domain/annualReport';
import { councilSize } from '../domain/council';
import type { TaskRef } from '../domain/lifecycleState';
import { hasRole, type Actor } from '../domain/people';
import { decideReportRound, type ReportApproval, type ReportBallot } from '../domain/reportApproval';
import { acts, afterUpdate, longActs } from './activities';
import type { DeadlineSettings } from './input';
import { completeTaskUpdate, conflict, forbidden, setUpdateHandler } from './messages';
import { answerableTask, recordAnswer } from './taskCompletion';
import { watchDeadline } from './taskDeadline';
import { handleTaskPool } from './taskPool';
import { handleTaskReassignment, recordReassignment } from './taskReassignment';
import { copenhagenDay } from '../domain/dates';
import type { Refusal } from '../domain/refusals';

/** The council's round on one version of the report: who sits on it, and their answers so far. */
export interface ReportRound {
  version: number;
  members: string[];
  chair: string;
  ballots: ReportBallot[];
  result?: 'approved' | 'returned';
}

export interface ReportProgress {
  year: number;
  version: number;
  status: ReportStatus;
  round?: ReportRound;
}

export const reportProgressQuery = defineQuery<ReportProgress>('reportProgress');
/**
 * The secretariat's steps: send the drafted report (its text written) to the council,
 * redraft a returned one as a new version, or mark an approved one as sent to the city council.
 */
export const reportSecretariatUpdate = defineUpdate<
  ReportProgress,
  [{ actor: Actor; step: 'submit' | 'redraft' | 'markSent'; note?: string; /** A submission: the saved text the API checked (its `rev`). */ textRev?: string }]
>('reportSecretariat');

export type ReportDeadlines = Pick<DeadlineSettings, 'reportApproval' | 'reminderBefore'>;
export const reportDeadlines = ({ reportApproval, reminderBefore }: DeadlineSettings): ReportDeadlines => ({ reportApproval, reminderBefore });

export interface AnnualReportInput {
  year?: number;
  requestedBy: string;
  /** Fixed when the report's workflow starts, as a proposal's are. */
  deadlines: ReportDeadlines;
  /** Set when the workflow continued as new after the council returned this version. */
  returned?: { year: number; version: number };
  /** The Updates applied last, so one sent again reaches the new run as the one applied. */
  updates?: AppliedUpdates;
}

/** Past this many events a returned report continues as new, so its history stays bounded however often it goes back and forth. */
const historyLimit = 300;

/**
 * The year's report to the city council (afrapportering, seed §5): drafted from the
 * books, written by the secretariat (its text is saved in the read model, not here),
 * approved by the council in a round of tasks, one a member, each with its due
 * date, reminder and escalation; a majority decides (domain/reportApproval.ts). A
 * returned report is redrafted as a new version and goes to a new round; an approved
 * one is marked as sent. The yearly Schedule starts it for the year just closed; the
 * secretariat can start it by hand for any year.
 */
export async function annualReport(input: AnnualReportInput): Promise<ReportProgress> {
  const year = input.returned?.year ?? input.year ?? Number(copenhagenDay(new Date(workflowInfo().startTime)).slice(0, 4)) - 1;
  /** What the report's tasks and notices name as their case, whichever workflow id the report runs under. */
  const caseId = annualReportWorkflowId(year);
  const { deadlines } = input;
  carryAppliedUpdates(input.updates);
  const progress: ReportProgress = input.returned ? { year, version: input.returned.version, status: 'returned' } : { year, version: 0, status: 'drafting' };
  /** The current round's tasks; a continued run starts without the old ones, so an answer to one of those is refused. */
  const tasks: TaskRef[] = [];
  const watchers = new Map<string, CancellationScope>();
  /** The secretariat's sending, until the report is the council's; `refused` when the text changed after it was checked. */
  let submission: { by: string; note?: string; textRev?: string; refused?: Refusal } | undefined;
  let redraftBy: string | undefined;
  let sent: { by: string; note?: string } | undefined;
  /** The newest version drafted in the read model, and the newest whose round is open. */
  let readyVersion = progress.version;
  let roundOpenFor = 0;
  const now = () => new Date().toISOString();
  /**
   * The status the secretariat's sending or mark as sent moves the report to, written as the server's
   * step: it runs once that Update is on record, and the round's tasks open behind it. Written by a
   * local step, it ran before the Update was, and a worker dying then left the report the council's in
   * the read model with nothing in the history behind it. A run of before replays as it ran.
   */
  const stepAfterUpdate = () => (patched('report-status-after-update') ? afterUpdate : acts);

  setHandler(reportProgressQuery, () => progress);

  setUpdateHandler(
    reportSecretariatUpdate,
    async ({ actor, step, note, textRev }) => {
      const version = progress.version;
      if (step === 'submit') {
        // Marked before any await, so a second submission is refused by the validator.
        progress.status = 'awaitingCouncil';
        const sending: NonNullable<typeof submission> = { by: actor.userId, note, ...(textRev ? { textRev } : {}) };
        submission = sending;
        await condition(() => roundOpenFor === version || sending.refused !== undefined);
        if (sending.refused) throw conflict(sending.refused);
      } else if (step === 'redraft') {
        redraftBy = actor.userId;
        await condition(() => readyVersion > version);
      } else {
        sent = { by: actor.userId, note };
        await condition(() => progress.status === 'sentToCityCouncil');
      }
      return progress;
    },
    {
      validator: ({ actor, step }) => {
        if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
        // A draft shown in the read model may be sent at once: the workflow may not yet have
        // heard that its draft is written, and the sending waits for that (below), not the person.
        if (step === 'submit' && (progress.status !== 'drafting' || submission)) throw conflict({ code: 'reportNotDrafting', status: progress.status });
        if (step === 'redraft' && (progress.status !== 'returned' || redraftBy)) throw conflict({ code: 'reportNotReturned', status: redraftBy ? 'drafting' : progress.status });
        if (step === 'markSent' && (progress.status !== 'approved' || sent)) throw conflict({ code: 'reportNotApproved', status: progress.status });
      },
    },
  );

  setUpdateHandler(
    completeTaskUpdate,
    async ({ actor, taskId, input: answer }) => {
      const at = await recordAnswer(
        tasks.find((t) => t.id === taskId)!,
        caseId,
        actor,
        answer,
        watchers,
      );
      const { decision, comments } = answer as ReportApproval;
      progress.round?.ballots.push({ memberId: actor.userId, decision, comments, at });
      return { reportStatus: progress.status, completedAt: at };
    },
    {
      validator: ({ actor, taskId }) => {
        answerableTask(tasks, actor, taskId);
        // Authority is the person's role now, not when the round opened.
        if (!hasRole(actor, 'councilMember')) throw forbidden({ code: 'needsRole', roles: ['councilMember'] });
      },
    },
  );

  // A member's answer is personal: claiming or releasing it is refused (taskPersonal), not left unanswered.
  handleTaskPool({ tasks, now, blocked: () => undefined, assign: () => Promise.resolve() });
  // A member who leaves the council hands their answer to the member who replaced them, whose answer then counts in the round.
  handleTaskReassignment({
    tasks,
    now,
    successor: (task, leaving, seated) => acts.successorFor({ role: task.role, leaving, seated }),
    seated: () => progress.round?.members,
    async assign(change) {
      const { round } = progress;
      if (round && change.assignee) round.members = round.members.map((m) => (m === change.from ? change.assignee! : m));
      await recordReassignment(caseId)(change);
    },
    // Seated while the administrator was changing the council (four members, the newcomer among them), the round
    // has nobody outside it to hand the answer to: it goes on with those who remain, and their majority decides.
    // (Patched: before, such a move was refused, and a history that says so replays as it did.)
    withoutSuccessor: {
      applies: () => (progress.round?.members.length ?? 0) > councilSize && patched('report-round-without-successor'),
      async close({ task, from, reason, at }) {
        if (progress.round) progress.round.members = progress.round.members.filter((m) => m !== from);
        task.status = 'cancelled';
        watchers.get(task.id)?.cancel();
        await acts.cancelTasks({ taskIds: [task.id], reason, at });
      },
    },
  });

  async function openTask(member: string, round: ReportRound) {
    const task: TaskRef = {
      id: `${caseId}.v${round.version}.reportApproval.${member}`,
      kind: 'reportApproval',
      assignee: member,
      role: 'councilMember',
      dueAt: new Date(Date.now() + deadlines.reportApproval).toISOString(),
      status: 'open',
      overdue: false,
      round: round.version,
    };
    tasks.push(task);
    watchers.set(
      task.id,
      watchDeadline({
        task,
        dueInMs: deadlines.reportApproval,
        reminderBefore: deadlines.reminderBefore,
        caseId,
        now,
        // An answer missing holds up the whole council, so the chair of the day hears of it too.
        escalateTo: () => ({ roles: ['secretariat', 'councilChair'], except: [task.assignee ?? member] }),
      }),
    );
    await acts.openTask({ ...task, assignee: member, proposalId: caseId, title: `Afrapportering ${year}`, at: now(), workflowId: workflowInfo().workflowId });
  }

  /** One round of the council on the current version: a task a member, until a majority has decided. */
  async function councilRound(version: number): Promise<'approved' | 'returned'> {
    // The report does not wait for a complete council as a proposal's round does: those
    // seated answer (with fewer than two, decideReportRound returns it at once).
    const council = await acts.councilComposition();
    const chair = council.complete ? council.chair : (council.chairs[0] ?? '');
    const round: ReportRound = { version, members: council.members, chair, ballots: [] };
    progress.round = round;
    // Opened side by side, as a proposal's votes are.
    await Promise.all(round.members.map((member) => openTask(member, round)));
    roundOpenFor = version;
    let result = decideReportRound(round.members, round.ballots);
    await condition(() => (result = decideReportRound(round.members, round.ballots)) !== 'pending');
    const open = tasks.filter((t) => t.status === 'open');
    for (const t of open) {
      t.status = 'cancelled';
      watchers.get(t.id)?.cancel();
    }
    if (open.length > 0) await acts.cancelTasks({ taskIds: open.map((t) => t.id), reason: { code: 'councilDecided' }, at: now() });
    round.result = result === 'approved' ? 'approved' : 'returned';
    return round.result;
  }

  let by = input.requestedBy;
  // A run continued after a return starts where the last one stopped: awaiting the redraft.
  let awaitingRedraft = input.returned !== undefined;
  for (;;) {
    if (awaitingRedraft) {
      await condition(() => redraftBy !== undefined);
      by = redraftBy!;
      redraftBy = undefined;
    }
    awaitingRedraft = true;
    progress.version += 1;
    progress.status = 'drafting';
    progress.round = undefined;
    // Nothing, from a worker of before the draft said whose report it is: this run's, as it then always was.
    const drafted: Awaited<ReturnType<typeof longActs.draftAnnualReport>> | undefined = await longActs.draftAnnualReport({
      year,
      version: progress.version,
      at: now(),
      by,
      workflowId: workflowInfo().workflowId,
    });
    if (patched('report-year-taken') && drafted && drafted.workflowId !== workflowInfo().workflowId) {
      // The year's report is another run's (started by hand before the Schedule's date, or the other way round): this one ends,
      // so it neither waits for ever nor keeps the Schedule's workflow id from next year's run.
      return { year, version: drafted.version, status: drafted.status };
    }
    readyVersion = progress.version;
    await acts.notify({ key: `${caseId}.v${progress.version}.drafted`, event: 'annualReportDrafted', proposalId: caseId, to: { roles: ['secretariat'] } });

    // The secretariat writes its text in the read model, then sends the report to the council.
    for (;;) {
      await condition(() => submission !== undefined);
      const submitted = submission!;
      // The read model shows the report as the council's before any member's task opens, and takes no more text from then on:
      // the text the sending checked, unless another secretary saved one since, which goes back to drafting.
      const recorded = await stepAfterUpdate().recordReportStatus({
        year,
        version: progress.version,
        status: 'awaitingCouncil',
        by: submitted.by,
        at: now(),
        comments: submitted.note,
        ...(submitted.textRev ? { textRev: submitted.textRev } : {}),
      });
      submission = undefined;
      if (!recorded?.textChanged) break;
      progress.status = 'drafting';
      submitted.refused = { code: 'reportTextChanged' };
    }
    const result = await councilRound(progress.version);
    progress.status = result;
    await acts.recordReportStatus({ year, version: progress.version, status: result, by: 'council', at: now() });
    await acts.notify({
      key: `${caseId}.v${progress.version}.${result}`,
      event: result === 'approved' ? 'annualReportApproved' : 'annualReportReturned',
      proposalId: caseId,
      to: { roles: ['secretariat'] },
    });
    if (result === 'approved') break;
    if (workflowInfo().historyLength > historyLimit || workflowInfo().continueAsNewSuggested) {
      // A redraft already asked for is answered in this run; otherwise the next run waits for it.
      await condition(() => redraftBy !== undefined || allHandlersFinished());
      if (redraftBy === undefined) {
        return continueAsNew<typeof annualReport>({ requestedBy: input.requestedBy, deadlines, returned: { year, version: progress.version }, updates: appliedUpdates() });
      }
    }
  }
  await condition(() => sent !== undefined);
  // Written before the status changes, so the secretariat's Update returns once the record says so.
  await stepAfterUpdate().recordReportStatus({ year, version: progress.version, status: 'sentToCityCouncil', by: sent!.by, at: now(), comments: sent!.note });
  progress.status = 'sentToCityCouncil';
  await condition(allHandlersFinished);
  return progress;
}
