import {
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { NotifyRequest } from '../activities/notifications';
import { acts } from './activities';
import { contracting } from './contracting';
import { councilDecision } from './councilDecision';
import { directGrant, releaseGrantReservation } from './directGrant';
import type { GrantAgreement } from '../domain/grant';
import type { EntryKind } from '../domain/ledger';
import { wholeKroner } from '../domain/money';
import { hasRole, type Actor } from '../domain/people';
import { finalStages, type Stage } from '../domain/stages';
import type { CooperationAgreement } from '../domain/cooperationAgreement';
import { taskPool, type TaskInput, type TaskKind } from '../domain/tasks';
import { implementation } from './implementation';
import type { LifecycleInput, ProposalSummary } from './input';
import { completeTaskUpdate, conflict, forbidden, reviseUpdate, setUpdateHandler, stateQuery, submitUpdate, withdrawUpdate } from './messages';
import { procurementStage } from './procurement';
import { FundingTrack, ProposalStage, RequestedAmountDKK, WelfareArea } from './searchAttributes';
import type { Completion, StageContext } from './stageContext';
import type { Closure, LifecycleState, TaskRef } from '../domain/lifecycleState';
import { handleTaskPool } from './taskPool';

/** The stage each kind of task belongs to: a task of another stage is stale. */
const stageOfTask: Record<TaskKind, Stage> = {
  councilVote: 'CouncilDecision',
  councilAttestation: 'CouncilDecision',
  mayoralApproval: 'MayoralApproval',
  cooperationAgreement: 'CooperationAgreement',
  grantAgreement: 'GrantAgreement',
  trancheConfirmation: 'GrantActive',
  grantFinalReport: 'GrantActive',
  investorConfirmation: 'Contracting',
  contractSigning: 'Contracting',
  outcomeReport: 'Implementation',
  outcomeVerification: 'Implementation',
  savingsConfirmation: 'Implementation',
  contractFinalReport: 'Implementation',
};

/** Thrown inside the lifecycle when the secretariat withdraws, caught at the top. */
const withdrawn = Symbol('withdrawn');

/**
 * One proposal from its first draft to the point where procurement or the grant
 * takes over: motivation, council decision, mayoral approval, cooperation agreement.
 * People act through Updates; every step is recorded in the read model and timeline.
 */
export async function proposalLifecycle(input: LifecycleInput): Promise<Closure> {
  const { proposalId, deadlines } = input;
  let summary: ProposalSummary = input.summary;
  const state: LifecycleState = { proposalId, stage: 'Motivation', stageSeq: 0, rounds: [], tasks: [] };
  const completions = new Map<string, Completion>();
  const deadlineWatchers = new Map<string, CancellationScope>();
  let submission: { by: string } | undefined;
  let withdrawal: { by: string; reason: string } | undefined;
  let revision = 0;
  let revising = false;

  const now = () => new Date().toISOString();
  const isOpen = (t: TaskRef) => t.status === 'open';

  setHandler(stateQuery, () => state);

  setUpdateHandler(
    reviseUpdate,
    async ({ actor, proposal }) => {
      revising = true;
      try {
        summary = {
          title: proposal.title,
          welfareArea: proposal.welfareArea,
          fundingTrack: proposal.fundingTrack,
          responsibleDepartment: proposal.responsibleDepartment,
          requestedOre: proposal.businessCase?.requestedFromFund ?? 0,
        };
        upsertSearchAttributes([
          { key: WelfareArea, value: summary.welfareArea },
          { key: FundingTrack, value: summary.fundingTrack },
          { key: RequestedAmountDKK, value: wholeKroner(summary.requestedOre) },
        ]);
        upsertMemo({ title: summary.title });
        revision += 1;
        await acts.saveProposal({ proposalId, proposal, revision, by: actor.userId, at: now() });
      } finally {
        revising = false;
      }
    },
    {
      validator: ({ actor }) => {
        requireSecretariat(actor);
        if (state.stage !== 'Motivation' || submission) throw conflict(`the proposal can only be revised in Motivation; it is in ${state.stage}`);
        if (revising) throw conflict('another revision is being saved; try again');
      },
    },
  );

  setUpdateHandler(
    submitUpdate,
    async ({ actor }) => {
      submission = { by: actor.userId };
      await condition(() => state.stage !== 'Motivation');
      return { stage: state.stage };
    },
    {
      validator: ({ actor }) => {
        requireSecretariat(actor);
        if (state.stage !== 'Motivation') throw conflict(`the proposal is in ${state.stage}, not Motivation`);
        if (submission) throw conflict('the proposal has already been submitted');
        if (revising) throw conflict('a revision is being saved; submit again in a moment');
      },
    },
  );

  setUpdateHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      withdrawal = { by: actor.userId, reason };
      await condition(() => state.stage === 'Withdrawn');
      return { stage: state.stage };
    },
    {
      validator: ({ actor, reason }) => {
        requireSecretariat(actor);
        if (finalStages.has(state.stage)) throw conflict(`the proposal is already ${state.stage}`);
        if (state.stage === 'Implementation') throw conflict('the contract is signed; a proposal is withdrawn only before a contract');
        if (withdrawal) throw conflict('the proposal is already being withdrawn');
        if (!reason.trim()) throw conflict('a withdrawal needs a reason');
      },
    },
  );

  setUpdateHandler(
    completeTaskUpdate,
    async ({ actor, taskId, input: taskInput }) => {
      const task = state.tasks.find((t) => t.id === taskId)!;
      const at = now();
      // Marked before any await, so a second completion is refused by the validator.
      task.status = 'completed';
      task.completedBy = actor.userId;
      task.completedAt = at;
      deadlineWatchers.get(taskId)?.cancel();
      completions.set(taskId, { actor, input: taskInput, at });
      if (task.kind === 'councilVote') recordBallot(task, actor, taskInput as TaskInput<'councilVote'>, at);
      await acts.completeTask({ taskId, proposalId, by: actor.userId, at, input: taskInput });
      return { stage: state.stage };
    },
    {
      validator: ({ actor, taskId, input }) => {
        const task = state.tasks.find((t) => t.id === taskId);
        if (!task) throw conflict(`task ${taskId} does not belong to this proposal`);
        if (task.status !== 'open') throw conflict(`the task is already ${task.status}`);
        if (task.assignee === null) throw forbidden('the task waits for someone to take it; claim it first');
        if (task.assignee !== actor.userId) throw forbidden('the task is assigned to someone else');
        const blocked = blockedTask(task);
        if (blocked) throw conflict(blocked);
        const rateMetrics = state.contracting?.contract?.rateCard.map((r) => r.metric).sort().join('\n');
        if (task.kind === 'outcomeReport') {
          const reported = (input as TaskInput<'outcomeReport'>).results.map((r) => r.metric).sort().join('\n');
          if (reported !== rateMetrics) throw conflict(`report each metric of the rate card once: ${rateMetrics?.replace(/\n/g, ', ')}`);
        }
        if (task.kind === 'outcomeVerification' && !(input as TaskInput<'outcomeVerification'>).confirmed) {
          const unknown = (input as TaskInput<'outcomeVerification'> & { confirmed: false }).corrected.find((c) => !rateMetrics?.split('\n').includes(c.metric));
          if (unknown) throw conflict(`${unknown.metric} is not a metric of the rate card`);
        }
        if (task.kind === 'grantAgreement' && (input as GrantAgreement).amount > summary.requestedOre) {
          throw conflict(`the grant may not exceed the ${wholeKroner(summary.requestedOre)} DKK the council and the mayor approved`);
        }
      },
    },
  );

  function blockedTask(task: TaskRef): string | undefined {
    if (state.stage !== stageOfTask[task.kind]) return `the proposal is in ${state.stage}; the task is stale`;
    if (withdrawal) return 'the proposal is being withdrawn';
    return undefined;
  }

  handleTaskPool({
    tasks: state.tasks,
    now,
    blocked: blockedTask,
    async assign({ task, pool, assignee, by, seq, at }) {
      await acts.assignTask({ taskId: task.id, proposalId, assignee, by, seq, at });
      if (assignee === null) {
        await acts.notify({ key: `${task.id}.released.${seq}`, event: 'taskReleased', proposalId, taskId: task.id, to: { roles: [pool] } });
      }
    },
  });

  function requireSecretariat(actor: Actor) {
    if (!hasRole(actor, 'secretariat')) throw forbidden('only the secretariat may do this');
  }

  function recordBallot(task: TaskRef, actor: Actor, vote: TaskInput<'councilVote'>, at: string) {
    const round = state.rounds.find((r) => r.number === task.round)!;
    const ballot =
      vote.decision === 'conflictOfInterest'
        ? { memberId: actor.userId, kind: 'conflictOfInterest' as const }
        : { memberId: actor.userId, kind: 'vote' as const, choice: vote.decision };
    round.ballots.push({ ...ballot, comment: vote.comment, at });
  }

  /** Waits for `ready` (at most `timeoutMs`), or ends the lifecycle if the proposal is withdrawn meanwhile. */
  async function until(ready: () => boolean, timeoutMs?: number): Promise<void> {
    if (timeoutMs === undefined) await condition(() => withdrawal !== undefined || ready());
    else await condition(() => withdrawal !== undefined || ready(), timeoutMs);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- not a failure: a marker that unwinds to the top, which catches it by identity
    if (withdrawal) throw withdrawn;
  }

  async function moveTo(stage: Stage, note?: { by?: string; reason?: string }) {
    state.stage = stage;
    state.stageSeq += 1;
    upsertSearchAttributes([{ key: ProposalStage, value: stage }]);
    await acts.recordStage({ proposalId, stage, seq: state.stageSeq, at: now(), ...note });
  }

  async function openTask(kind: TaskKind, assignee: string, dueInMs: number, key: string, round?: number) {
    const task: TaskRef = {
      id: `${proposalId}.${key}`,
      kind,
      assignee,
      dueAt: new Date(Date.now() + dueInMs).toISOString(),
      status: 'open',
      overdue: false,
      round,
    };
    state.tasks.push(task);
    await acts.openTask({ ...task, assignee, proposalId, title: summary.title, at: now() });
    await acts.notify({ key: `${task.id}.created`, event: 'taskCreated', proposalId, taskId: task.id, to: { users: [assignee] } });
    watchDeadline(task, dueInMs);
    return task;
  }

  /**
   * Reminds before the due date and escalates when it passes. Closing the task
   * cancels the waiting, never a notification already under way.
   */
  function watchDeadline(task: TaskRef, dueInMs: number) {
    const scope = new CancellationScope();
    deadlineWatchers.set(task.id, scope);
    const reminderAfter = dueInMs - deadlines.reminderBefore;
    const notifyTask = (event: 'taskReminder' | 'taskEscalated', to: NotifyRequest['to']) =>
      acts.notify({ key: `${task.id}.${event === 'taskReminder' ? 'reminder' : 'escalated'}`, event, proposalId, taskId: task.id, to });
    scope
      .run(async () => {
        if (reminderAfter > 0) {
          await sleep(reminderAfter);
          // A task nobody holds reminds the whole pool.
          const to = task.assignee === null ? { roles: [taskPool[task.kind]!] } : { users: [task.assignee] };
          await CancellationScope.nonCancellable(() => notifyTask('taskReminder', to));
        }
        await sleep(Math.min(dueInMs, deadlines.reminderBefore));
        await CancellationScope.nonCancellable(async () => {
          task.overdue = true;
          await acts.markTaskOverdue({ taskId: task.id, at: now() });
          // Council votes hold up the whole council, so the chair hears of them too.
          const chair = task.kind === 'councilVote' ? state.rounds.find((r) => r.number === task.round)?.chair : undefined;
          await notifyTask('taskEscalated', { roles: ['secretariat'], users: chair && chair !== task.assignee ? [chair] : [] });
        });
      })
      .catch((err) => {
        if (!isCancellation(err)) throw err;
      });
  }

  async function cancelOpenTasks(reason: string, which: (t: TaskRef) => boolean = () => true) {
    const open = state.tasks.filter((t) => isOpen(t) && which(t));
    for (const t of open) {
      t.status = 'cancelled';
      deadlineWatchers.get(t.id)?.cancel();
    }
    if (open.length > 0) await acts.cancelTasks({ taskIds: open.map((t) => t.id), reason, at: now() });
  }

  async function awaitTask(task: TaskRef) {
    await until(() => completions.has(task.id));
    return completions.get(task.id)!;
  }

  async function close(stage: Stage, reason: string, by?: string): Promise<Closure> {
    await cancelOpenTasks(`the proposal is ${stage}`);
    state.closure = { stage, reason, by, at: now() };
    await moveTo(stage, { by, reason });
    await acts.notify({ key: `${proposalId}.closed`, event: 'proposalClosed', proposalId, to: { roles: ['secretariat'] } });
    return state.closure;
  }

  async function lifecycle(): Promise<Closure> {
    // Motivation ⇄ council decision, until the council approves or rejects.
    for (;;) {
      await until(() => submission !== undefined);
      // The paper exists before the stage says the council has it, so it is never shown missing.
      const { version } = await acts.generateDecisionPaper({ proposalId, round: state.rounds.length + 1, at: now() });
      await moveTo('CouncilDecision', { by: submission!.by });
      const { result, comments } = await councilDecision({ ...stageContext, deadlines, cancelOpenTasks }, version);
      if (result === 'approve') break;
      if (result === 'reject') return close('Rejected', comments.join('\n') || 'rejected by the council');
      const reason =
        result === 'cannotDecide'
          ? 'the council cannot decide: fewer than two members can vote'
          : ['returned for changes', ...comments].join('\n');
      submission = undefined;
      await moveTo('Motivation', { reason });
      const event = result === 'cannotDecide' ? 'councilCannotDecide' : 'returnedForChanges';
      await acts.notify({ key: `${proposalId}.r${state.rounds.length}.${event}`, event, proposalId, to: { roles: ['secretariat'] } });
    }

    await moveTo('MayoralApproval');
    const mayor = await acts.resolveAssignee({ role: 'mayor' });
    const mayoral = await awaitTask(await openTask('mayoralApproval', mayor, deadlines.mayoralApproval, 'mayoralApproval'));
    const decision = mayoral.input as TaskInput<'mayoralApproval'>;
    state.mayoralDecision = {
      by: mayoral.actor.userId,
      at: mayoral.at,
      decision: decision.decision,
      reason: decision.decision === 'refuse' ? decision.reason : decision.comment,
    };
    if (decision.decision === 'refuse') return close('Refused', decision.reason, mayoral.actor.userId);

    await moveTo('CooperationAgreement');
    const head = await acts.resolveAssignee({ role: 'department', department: summary.responsibleDepartment });
    const agreement = await awaitTask(
      await openTask('cooperationAgreement', head, deadlines.cooperationAgreement, 'cooperationAgreement'),
    );
    state.cooperationAgreement = { ...(agreement.input as CooperationAgreement), by: agreement.actor.userId, at: agreement.at };

    // Procurement is a later stage; until a contract, the proposal can still be withdrawn.
    await moveTo(summary.fundingTrack === 'outcomeBased' ? 'AwaitingProcurement' : 'AwaitingGrant');
    // Proposals that reached AwaitingGrant or AwaitingProcurement before those stages existed keep waiting there.
    if (summary.fundingTrack === 'directFinancing' && patched('direct-financing-grant')) return directGrant(stageContext);
    if (summary.fundingTrack === 'outcomeBased' && patched('procurement')) {
      const settings = await acts.procurementSettings({ date: today() });
      const result = await procurementStage({ ...stageContext, settings });
      if (result.outcome === 'cancelled') return close('Cancelled', result.reason, result.by);
      // Proposals whose award stood before contracting existed wait in AwaitingInvestor.
      if (!patched('contracting')) await moveTo('AwaitingInvestor');
      else {
        await contracting(stageContext);
        if (patched('outcome-payouts')) return implementation(stageContext);
      }
    }
    await until(() => false);
    throw new Error('unreachable');
  }

  const today = () => new Date().toISOString().slice(0, 10);

  let recorded = 0;
  /** A timeline entry keyed by its place in this workflow, so a retry writes it once. */
  async function record(type: string, by: string, details: Record<string, unknown>) {
    recorded += 1;
    await acts.recordEvent({ key: `${proposalId}.event.${recorded}`, proposalId, type, by, at: now(), details });
  }

  async function book(key: string, kind: EntryKind, amountOre: number, reason: string, by: string, counterpart?: string, fromReservation = false) {
    return acts.bookLedger({ key: `${proposalId}.${key}`, kind, amountOre, proposalId, counterpart, date: today(), reason, by, fromReservation });
  }

  const stageContext: StageContext = {
    proposalId,
    state,
    summary: () => summary,
    createdBy: input.createdBy,
    now,
    today,
    until,
    moveTo,
    record,
    book,
    openTask,
    awaitTask,
    answerOf: (taskId) => completions.get(taskId)?.input,
    close,
  };

  let closure: Closure;
  try {
    await acts.recordEvent({ key: `${proposalId}.created`, proposalId, type: 'created', by: input.createdBy, at: now() });
    closure = await lifecycle();
  } catch (err) {
    if (err !== withdrawn) throw err;
    await releaseGrantReservation(state, book, withdrawal!.by);
    closure = await close('Withdrawn', withdrawal!.reason, withdrawal!.by);
  }
  await condition(allHandlersFinished);
  return closure;
}
