import {
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { acts, longActs } from './activities';
import { contracting } from './contracting';
import { councilDecision } from './councilDecision';
import { directGrant } from './directGrant';
import { releaseReservations } from './withdrawal';
import type { GrantAgreement } from '../domain/grant';
import type { EntryKind } from '../domain/ledger';
import { wholeKroner } from '../domain/money';
import { hasRole, type Actor, type Role } from '../domain/people';
import type { Stage } from '../domain/stages';
import { withdrawalRefusal } from '../domain/withdrawal';
import { conflictedIn, voteBallot } from '../domain/councilVote';
import { maxCouncilRounds } from '../domain/council';
import type { CooperationAgreement } from '../domain/cooperationAgreement';
import { mayAnswer, taskRole } from '../domain/taskPool';
import type { TaskInput, TaskKind } from '../domain/tasks';
import { implementation } from './implementation';
import type { LifecycleInput, ProposalSummary } from './input';
import {
  completeTaskUpdate,
  conflict,
  councilChangedSignal,
  forbidden,
  onAgendaSignal,
  reviseUpdate,
  setUpdateHandler,
  stateQuery,
  submitUpdate,
  withdrawUpdate,
} from './messages';
import { procurementStage } from './procurement';
import { appliedUpdates, carryAppliedUpdates } from './appliedUpdates';
import { FundingTrack, ProposalId, ProposalStage, RequestedAmountDKK, WelfareArea } from './searchAttributes';
import type { Completion, NewTask, StageContext } from './stageContext';
import type { Closure, LifecycleState, TaskRef } from '../domain/lifecycleState';
import { watchDeadline as watchTaskDeadline } from './taskDeadline';
import { handleTaskPool, recordHandover } from './taskPool';
import { handleTaskReassignment, recordReassignment } from './taskReassignment';
import { recordAnswer } from './taskCompletion';
import type { Reason, Refusal } from '../domain/refusals';
import { commitmentOf } from '../domain/commitment';
import { withCouncil } from '../domain/councilSelection';
import { copenhagenDay } from '../domain/dates';

/** The annual report's and a meeting's tasks: their own workflows', never a proposal's. */
const notAProposals = ['reportApproval', 'minutesApproval', 'minutesCorrection'] as const;
type ProposalTaskKind = Exclude<TaskKind, (typeof notAProposals)[number]>;
const isProposalTask = (kind: TaskKind): kind is ProposalTaskKind => !(notAProposals as readonly TaskKind[]).includes(kind);

/** The stages each kind of a proposal's task belongs to: a task of another stage is stale. */
const stageOfTask: Record<ProposalTaskKind, Stage | Stage[]> = {
  councilVote: 'CouncilDecision',
  councilAttestation: 'CouncilDecision',
  mayoralApproval: 'MayoralApproval',
  cooperationAgreement: 'CooperationAgreement',
  grantAgreement: 'GrantAgreement',
  trancheConfirmation: 'GrantActive',
  grantFinalReport: 'GrantActive',
  awardDecision: 'Procurement',
  investorDecision: 'Contracting',
  contractSigning: 'Contracting',
  outcomeReport: 'Implementation',
  outcomeVerification: 'Implementation',
  savingsConfirmation: 'Implementation',
  contractFinalReport: 'Implementation',
  stoppedCaseReview: 'StoppedByOperator', // answered by its own workflow (stoppedCaseReview), never here
  // The council is seated for a round on the proposal and for its decision on a provider or an investor.
  councilComposition: ['CouncilDecision', 'Procurement', 'Contracting'],
};

/**
 * Motivation continues as new once its history is this long (or Temporal suggests it),
 * so revisions and return rounds never fill a history: no task is open there.
 */
export const motivationHistoryLimit = 500;

/**
 * One proposal from its first draft to the point where procurement or the grant
 * takes over: motivation, council decision, mayoral approval, cooperation agreement.
 * People act through Updates; every step is recorded in the read model and timeline.
 */
export async function proposalLifecycle(input: LifecycleInput): Promise<Closure> {
  const { proposalId, deadlines } = input;
  let summary: ProposalSummary = input.summary;
  const state: LifecycleState = input.carried?.state ?? { proposalId, stage: 'Motivation', stageSeq: 0, rounds: [], tasks: [] };
  const completions = new Map<string, Completion>();
  const deadlineWatchers = new Map<string, CancellationScope>();
  /** Every stage runs in it: a withdrawal cancels it, which interrupts whatever the stage waits for. */
  const stages = new CancellationScope();
  let submission: { by: string } | undefined;
  let withdrawal: { by: string; reason: string } | undefined;
  /** Answers to tasks whose record is being written: the step they decide comes after. */
  let answering = 0;
  let revision = input.carried?.revision ?? 0;
  let revising = false;
  carryAppliedUpdates(input.carried?.updates);
  /** How often the API said the council's roles changed: a round waiting for a complete council looks again. */
  let councilChanges = 0;
  /** The meeting whose agenda the proposal is on, while it awaits the council; each round needs its own. */
  let onAgenda: string | undefined;

  const now = () => new Date().toISOString();
  const isOpen = (t: TaskRef) => t.status === 'open';

  setHandler(stateQuery, () => state);
  setHandler(councilChangedSignal, () => {
    councilChanges += 1;
  });
  setHandler(onAgendaSignal, ({ meetingId, kind, round }) => {
    // Only a proposal the council has before it can be on an agenda; a late signal is for a round already decided.
    if (!kind || kind === 'proposal') {
      // A run from before the round was kept waits for the one after its last.
      if (state.stage === 'CouncilDecision' && (round === undefined || round === (state.councilRound ?? state.rounds.length + 1))) onAgenda ??= meetingId;
      return;
    }
    // A recommendation is on the agenda while it awaits the council; its first meeting stays on it.
    const recommendations = (kind === 'awardRecommendation' ? state.procurement : state.contracting)?.recommendations ?? [];
    if (withCouncil(recommendations) && (round === undefined || round === recommendations.length)) recommendations.at(-1)!.meetingId ??= meetingId;
  });

  setUpdateHandler(
    reviseUpdate,
    async ({ actor, summary: revised, draftId }) => {
      revising = true;
      try {
        summary = revised;
        upsertSearchAttributes([
          { key: WelfareArea, value: summary.welfareArea },
          { key: FundingTrack, value: summary.fundingTrack },
          { key: RequestedAmountDKK, value: wholeKroner(summary.requestedOre) },
        ]);
        upsertMemo({ title: summary.title });
        revision += 1;
        await acts.adoptDraft({ proposalId, draftId, revision, by: actor.userId, at: now() });
        return { revision };
      } finally {
        revising = false;
      }
    },
    {
      validator: ({ actor, basedOn }) => {
        requireSecretariat(actor);
        // A withdrawal closing the case (still in Motivation until it has) keeps what was withdrawn as it was.
        if (state.closingAs) throw conflict({ code: 'alreadyClosed', stage: state.closingAs });
        if (state.stage !== 'Motivation' || submission) throw conflict({ code: 'reviseOnlyInMotivation', stage: state.stage });
        if (revising) throw conflict({ code: 'revisionInProgress' });
        // Saved over a colleague's revision that the sender never saw, it would be lost without a word.
        if (basedOn !== undefined && basedOn < revision) throw conflict({ code: 'revisedSinceDrawn', revision });
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
      validator: ({ actor, revision: checked }) => {
        requireSecretariat(actor);
        if (state.closingAs) throw conflict({ code: 'alreadyClosed', stage: state.closingAs });
        if (state.stage !== 'Motivation') throw conflict({ code: 'wrongStage', stage: state.stage, expected: 'Motivation' });
        if (submission) throw conflict({ code: 'alreadySubmitted' });
        if (state.rounds.length >= maxCouncilRounds) throw conflict({ code: 'councilRoundsExhausted', max: maxCouncilRounds });
        if (revising) throw conflict({ code: 'submitWhileRevising' });
        // Completeness and the ceiling were checked on that revision: one saved since may lack what it had.
        // (Only an older one: an operator's reset to before a revision leaves the read model's number above the workflow's.)
        if (checked !== undefined && checked < revision) throw conflict({ code: 'revisedSinceChecked', revision });
      },
    },
  );

  setUpdateHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      withdrawal = { by: actor.userId, reason };
      // Closing from here: the stages' own steps are refused, and nothing else closes it meanwhile.
      state.closingAs = 'Withdrawn';
      // On record before anything is written for it: this entry is the Update's own step, the server's, which runs only once
      // the withdrawal is accepted, and the closing steps (the workflow's own, local) wait their turn behind it. Before, they
      // wrote (a reservation given back among them) while the Update could still be lost with a worker that died.
      const onRecord = patched('withdrawal-on-record') ? record('withdrawalReceived', actor.userId, { reason }) : undefined;
      stages.cancel();
      await onRecord;
      await condition(() => state.stage === 'Withdrawn');
      return { stage: state.stage };
    },
    {
      validator: ({ actor, reason }) => {
        requireSecretariat(actor);
        // Before the rule: a withdrawal under way marks the case closing as Withdrawn, which the rule would call closed.
        if (withdrawal) throw conflict({ code: 'alreadyWithdrawing' });
        // A withdrawal would overtake the council's rejection, the mayor's refusal or a contract's signature.
        const refused = withdrawalRefusal(state);
        if (refused) throw conflict(refused);
        if (answering > 0) throw conflict({ code: 'answerBeingRecorded' });
        if (!reason.trim()) throw conflict({ code: 'withdrawalNeedsReason' });
      },
    },
  );

  setUpdateHandler(
    completeTaskUpdate,
    async ({ actor, taskId, input: taskInput }) => {
      const task = state.tasks.find((t) => t.id === taskId)!;
      answering += 1;
      try {
        const at = await recordAnswer(task, proposalId, actor, taskInput, deadlineWatchers);
        completions.set(taskId, { actor, input: taskInput, at });
        if (task.kind === 'councilVote') recordBallot(task, actor, taskInput as TaskInput<'councilVote'>, at);
        return { stage: state.stage, completedAt: at };
      } finally {
        answering -= 1;
      }
    },
    {
      validator: ({ actor, taskId, input }) => {
        const task = state.tasks.find((t) => t.id === taskId);
        if (!task) throw conflict({ code: 'taskNotHere', taskId });
        if (task.status !== 'open') throw conflict({ code: 'taskNotOpen', status: task.status });
        if (task.kind === 'councilComposition') throw conflict({ code: 'closesItself' });
        if (task.assignee === null) throw forbidden({ code: 'claimFirst' });
        if (task.assignee !== actor.userId) throw forbidden({ code: 'assignedToSomeoneElse' });
        // The role as the person holds it now (the API reads it for each request), never as it was when the task was given.
        if (!mayAnswer(actor, task)) throw forbidden({ code: 'taskNeedsRole', role: task.role, ...(task.department ? { department: task.department } : {}) });
        const blocked = blockedTask(task);
        if (blocked) throw conflict(blocked);
        const rateMetrics = state.contracting?.contract?.rateCard
          .map((r) => r.metric)
          .sort()
          .join('\n');
        if (task.kind === 'outcomeReport') {
          const reported = (input as TaskInput<'outcomeReport'>).results
            .map((r) => r.metric)
            .sort()
            .join('\n');
          if (reported !== rateMetrics) throw conflict({ code: 'reportEachMetric', metrics: rateMetrics?.split('\n') ?? [] });
        }
        if (task.kind === 'outcomeVerification' && !(input as TaskInput<'outcomeVerification'>).confirmed) {
          const unknown = (input as TaskInput<'outcomeVerification'> & { confirmed: false }).corrected.find((c) => !rateMetrics?.split('\n').includes(c.metric));
          if (unknown) throw conflict({ code: 'unknownMetric', metric: unknown.metric });
        }
        if (task.kind === 'contractSigning' && !(input as TaskInput<'contractSigning'>).signed && !state.contracting?.declinable) throw conflict({ code: 'contractNotDeclinable' });
        if (task.kind === 'grantAgreement' && (input as GrantAgreement).amount > summary.requestedOre) {
          throw conflict({ code: 'grantTooHigh', approvedOre: summary.requestedOre });
        }
      },
    },
  );

  function blockedTask(task: TaskRef): Refusal | undefined {
    if (!isProposalTask(task.kind) || ![stageOfTask[task.kind]].flat().includes(state.stage)) return { code: 'taskStale', stage: state.stage };
    if (withdrawal) return { code: 'beingWithdrawn' };
    return undefined;
  }

  handleTaskPool({
    tasks: state.tasks,
    now,
    blocked: blockedTask,
    assign: recordHandover(proposalId),
  });

  handleTaskReassignment({
    tasks: state.tasks,
    now,
    successor: (task, leaving, seated) =>
      acts.successorFor({
        role: task.role,
        department: task.department,
        leaving,
        seated,
        // Whoever declared a conflict in the round, voting or when asked to attest, never attests its decision, though they became chair since.
        recused: task.kind === 'councilAttestation' ? conflictedIn(state.rounds.find((r) => r.number === task.round)) : undefined,
      }),
    seated: seatedBeside,
    async assign(change) {
      const { task, assignee, from } = change;
      const round = task.kind === 'councilVote' ? state.rounds.find((r) => r.number === task.round) : undefined;
      if (round && assignee) round.members = round.members.map((m) => (m === from ? assignee : m));
      await recordReassignment(proposalId)(change);
    },
  });

  /** A member's seat in a round goes to a member who is not seated in it: the one who replaced them. */
  function seatedBeside(task: TaskRef): string[] | undefined {
    return task.role === 'councilMember' ? seatedWith(task) : undefined;
  }

  /** Who sits on the council beside a member's task: the round's members, or the holders of the other tasks on the same recommendation. */
  function seatedWith(task: TaskRef): string[] | undefined {
    if (task.kind === 'awardDecision' || task.kind === 'investorDecision') {
      return state.tasks.filter((t) => t.kind === task.kind && t.round === task.round).map((t) => t.assignee!);
    }
    return state.rounds.find((r) => r.number === task.round)?.members;
  }

  function requireSecretariat(actor: Actor) {
    if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
  }

  function recordBallot(task: TaskRef, actor: Actor, vote: TaskInput<'councilVote'>, at: string) {
    const round = state.rounds.find((r) => r.number === task.round)!;
    round.ballots.push({ ...voteBallot(actor.userId, vote.decision), comment: vote.comment, at });
  }

  async function moveTo(stage: Stage, note?: { by?: string; reason?: Reason }) {
    state.stage = stage;
    state.stageSeq += 1;
    upsertSearchAttributes([{ key: ProposalStage, value: stage }]);
    await acts.recordStage({ proposalId, stage, seq: state.stageSeq, at: now(), ...note, commitment: nextCommitment() });
  }

  /**
   * What the case holds of the fund as its state stands, for the outlook's read model, which
   * the stage changes and bookings record as they happen. Numbered, so an older never replaces a newer.
   */
  function nextCommitment() {
    state.commitmentSeq = (state.commitmentSeq ?? 0) + 1;
    return { seq: state.commitmentSeq, commitment: commitmentOf(state) };
  }

  /** A task for `assignee`, answered by whoever holds `role` (the kind's own unless said) when they answer. */
  async function openTask(kind: TaskKind, assignee: string, dueInMs: number, key: string, round?: number, role?: Role) {
    const [task] = await openTasks([{ kind, assignee, dueInMs, key, round, role }]);
    return task;
  }

  /** Tasks a step opens together, written in one activity. */
  async function openTasks(specs: NewTask[]) {
    const at = now();
    const tasks = specs.map(({ kind, assignee, dueInMs, key, round, role = taskRole[kind] }) => {
      const task: TaskRef = {
        id: `${proposalId}.${key}`,
        kind,
        assignee,
        role,
        ...(role === 'department' ? { department: summary.responsibleDepartment } : {}),
        dueAt: new Date(Date.now() + dueInMs).toISOString(),
        status: 'open',
        overdue: false,
        round,
      };
      state.tasks.push(task);
      // The deadline runs from the moment the task opens, whatever happens to its notification.
      watchDeadline(task, dueInMs);
      return task;
    });
    // Writes the tasks and their notices to the outbox; the worker delivers them, so the case goes on at once.
    await acts.openTasks(tasks.map((task, i) => ({ ...task, assignee: specs[i].assignee, proposalId, title: summary.title, at })));
    return tasks;
  }

  function watchDeadline(task: TaskRef, dueInMs: number) {
    const scope = watchTaskDeadline({
      task,
      dueInMs,
      reminderBefore: deadlines.reminderBefore,
      caseId: proposalId,
      now,
      // Council votes hold up the whole council, so the chair hears of them too: the chair of the day, not of the round's opening.
      escalateTo: () => (task.kind === 'councilVote' ? { roles: ['secretariat', 'councilChair'], except: [task.assignee!] } : { roles: ['secretariat'] }),
    });
    deadlineWatchers.set(task.id, scope);
  }

  async function cancelOpenTasks(reason: Reason, which: (t: TaskRef) => boolean = () => true) {
    const open = state.tasks.filter((t) => isOpen(t) && which(t));
    for (const t of open) {
      t.status = 'cancelled';
      deadlineWatchers.get(t.id)?.cancel();
    }
    if (open.length > 0) await acts.cancelTasks({ taskIds: open.map((t) => t.id), reason, at: now() });
  }

  async function awaitTask(task: TaskRef) {
    await condition(() => completions.has(task.id));
    return completions.get(task.id)!;
  }

  async function close(stage: Stage, reason: Reason, by?: string): Promise<Closure> {
    state.closingAs = stage;
    await cancelOpenTasks({ code: 'proposalClosed', stage });
    // An approval not yet reserved (refused, withdrawn, cancelled) gives its earmark back; nothing if it has none.
    await acts.releaseEarmark({ key: `${proposalId}.earmark.release`, proposalId, date: today(), reason: `Forslaget er ${stage}: øremærkningen frigives`, by: by ?? 'system' });
    state.closure = { stage, reason, by, at: now() };
    delete state.councilRound; // withdrawn while before the council
    await moveTo(stage, { by, reason });
    await acts.notify({ key: `${proposalId}.closed`, event: 'proposalClosed', proposalId, to: { roles: ['secretariat'] } });
    return state.closure;
  }

  async function lifecycle(): Promise<Closure> {
    // Motivation ⇄ council decision, until the council approves or rejects.
    for (;;) {
      const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= motivationHistoryLimit;
      await condition(() => submission !== undefined || (historyFull() && allHandlersFinished()));
      if (!submission) return continueInMotivation();
      // The paper exists before the stage says the council has it, so it is never shown missing.
      const { version } = await longActs.generateDecisionPaper({ proposalId, round: state.rounds.length + 1, at: now() });
      state.councilRound = state.rounds.length + 1;
      await moveTo('CouncilDecision', { by: submission.by });
      const submittedBy = submission.by;
      const agenda = input.councilVoting === 'meeting' ? { agenda: () => onAgenda } : {};
      const { result, comments, why } = await councilDecision({ ...stageContext, submittedBy, ...agenda }, version);
      // A resubmission's round waits for an agenda of its own.
      onAgenda = undefined;
      delete state.councilRound;
      if (result === 'approve') break;
      if (result === 'reject') return close('Rejected', { code: 'councilRejected', comments });
      const reason: Reason = why ?? { code: result === 'cannotDecide' ? 'councilCannotDecide' : 'returnedForChanges', comments };
      submission = undefined;
      await moveTo('Motivation', { reason });
      const event = result === 'cannotDecide' ? 'councilCannotDecide' : 'returnedForChanges';
      await acts.notify({ key: `${proposalId}.r${state.rounds.length}.${event}`, event, proposalId, to: { roles: ['secretariat'] }, reason });
      if (reason.code === 'fundCannotCover') {
        // The members who approved learn that their approval did not stand, and why.
        const approvers = state.rounds.at(-1)!.ballots.flatMap((b) => (b.kind === 'vote' && b.choice === 'approve' ? [b.memberId] : []));
        await acts.notify({ key: `${proposalId}.r${state.rounds.length}.approvalVoid`, event: 'councilApprovalVoid', proposalId, to: { users: approvers }, reason });
      }
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
    if (decision.decision === 'refuse') return close('Refused', { code: 'mayorRefused', text: decision.reason }, mayoral.actor.userId);

    await moveTo('CooperationAgreement');
    const head = await acts.resolveAssignee({ role: 'department', department: summary.responsibleDepartment });
    const agreement = await awaitTask(await openTask('cooperationAgreement', head, deadlines.cooperationAgreement, 'cooperationAgreement'));
    state.cooperationAgreement = { ...(agreement.input as CooperationAgreement), by: agreement.actor.userId, at: agreement.at };

    // Until a contract, the proposal can still be withdrawn.
    await moveTo(summary.fundingTrack === 'outcomeBased' ? 'AwaitingProcurement' : 'AwaitingGrant');
    if (summary.fundingTrack === 'directFinancing') return directGrant(stageContext);
    const settings = await acts.procurementSettings({ date: today() });
    const result = await procurement(settings);
    if (result.outcome === 'cancelled') return close('Cancelled', { code: 'tenderCancelled', text: result.reason }, result.by);
    await contractingStage();
    return implementation(stageContext);
  }

  // The day in Copenhagen: a booking just after midnight on 1 January belongs to the new year, as in the municipality's books.
  const today = () => copenhagenDay(new Date());

  let recorded = input.carried?.recorded ?? 0;
  /** A timeline entry keyed by its place in this workflow, so a retry writes it once. */
  async function record(type: string, by: string, details: Record<string, unknown>) {
    recorded += 1;
    await acts.recordEvent({ key: `${proposalId}.event.${recorded}`, proposalId, type, by, at: now(), details });
  }

  async function book(key: string, kind: EntryKind, amountOre: number, reason: string, by: string, counterpart?: string, fromReservation = false) {
    return acts.bookLedger({ key: `${proposalId}.${key}`, kind, amountOre, proposalId, counterpart, date: today(), reason, by, fromReservation, commitment: nextCommitment() });
  }

  const stageContext: StageContext = {
    proposalId,
    state,
    summary: () => summary,
    createdBy: input.createdBy,
    deadlines,
    now,
    today,
    moveTo,
    record,
    book,
    recordCommitment: () => acts.recordCommitment({ proposalId, ...nextCommitment() }),
    openTask,
    openTasks,
    awaitTask,
    answerOf: (taskId) => completions.get(taskId)?.input,
    close,
    cancelOpenTasks,
    councilChanges: () => councilChanges,
    votesAtMeeting: input.councilVoting === 'meeting',
  };
  // Every handler is registered before the first await; the validators refuse a step outside its stage.
  const procurement = procurementStage(stageContext);
  const contractingStage = contracting(stageContext);

  /** A fresh history for a draft that was revised (or returned) many times; the state goes along. */
  function continueInMotivation(): Promise<never> {
    const next = makeContinueAsNewFunc<typeof proposalLifecycle>({
      memo: { title: summary.title },
      typedSearchAttributes: [
        { key: ProposalId, value: proposalId },
        { key: ProposalStage, value: state.stage },
        { key: WelfareArea, value: summary.welfareArea },
        { key: FundingTrack, value: summary.fundingTrack },
        { key: RequestedAmountDKK, value: wholeKroner(summary.requestedOre) },
      ],
    });
    return next({ ...input, summary, carried: { state, revision, recorded, updates: appliedUpdates() } });
  }

  let closure: Closure;
  try {
    closure = await stages.run(async () => {
      if (!input.carried) await acts.recordEvent({ key: `${proposalId}.created`, proposalId, type: 'created', by: input.createdBy, at: now() });
      return lifecycle();
    });
  } catch (err) {
    // Only a withdrawal cancels the stages; the step under way was finished first (see uninterrupted).
    if (!withdrawal || !isCancellation(err)) throw err;
    await releaseReservations(state, book, withdrawal.by);
    closure = await close('Withdrawn', { code: 'withdrawn', text: withdrawal.reason }, withdrawal.by);
  }
  await condition(allHandlersFinished);
  return closure;
}
