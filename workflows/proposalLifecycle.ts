import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotifyRequest } from '../activities/notifications';
import { tallyCouncilVote, type VoteChoice } from './domain/councilVote';
import { hasRole, type Actor } from './domain/people';
import { finalStages, type Stage } from './domain/stages';
import type { ContractingState } from './domain/contract';
import { addMonths } from './domain/dates';
import type { GrantAgreement, GrantState } from './domain/grant';
import { outcomePayment, savingsShare, type ImplementationState, type MeasurementState } from './domain/payout';
import type { EntryKind } from './domain/ledger';
import { taskPool, type CooperationAgreement, type TaskInput, type TaskKind } from './domain/tasks';
import type { LifecycleInput, ProposalSummary } from './input';
import { completeTaskUpdate, contractingUpdate, failureTypes, reviseUpdate, stateQuery, submitUpdate, withdrawUpdate } from './messages';
import { FundingTrack, ProposalStage, RequestedAmountDKK, WelfareArea } from './searchAttributes';
import { procurementStage } from './procurement';
import { handleTaskPool } from './taskPool';
import type { Closure, CouncilRound, LifecycleState, TaskRef } from './state';
import { formatDkkDanish, wholeKroner } from './domain/money';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

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

const forbidden = (message: string) => ApplicationFailure.create({ type: failureTypes.forbidden, message });
const conflict = (message: string) => ApplicationFailure.create({ type: failureTypes.conflict, message });

/** Thrown inside the lifecycle when the secretariat withdraws, caught at the top. */
const withdrawn = Symbol('withdrawn');

type CouncilOutcome = { result: VoteChoice | 'cannotDecide'; comments: string[] };

/**
 * One proposal from its first draft to the point where procurement or the grant
 * takes over: motivation, council decision, mayoral approval, cooperation agreement.
 * People act through Updates; every step is recorded in the read model and timeline.
 */
export async function proposalLifecycle(input: LifecycleInput): Promise<Closure> {
  const { proposalId, deadlines } = input;
  let summary: ProposalSummary = input.summary;
  const state: LifecycleState = { proposalId, stage: 'Motivation', stageSeq: 0, rounds: [], tasks: [] };
  const completions = new Map<string, { actor: Actor; input: TaskInput; at: string }>();
  const deadlineWatchers = new Map<string, CancellationScope>();
  let submission: { by: string } | undefined;
  let withdrawal: { by: string; reason: string } | undefined;
  let revision = 0;
  let revising = false;

  const now = () => new Date().toISOString();
  const isOpen = (t: TaskRef) => t.status === 'open';

  setHandler(stateQuery, () => state);

  setHandler(
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

  setHandler(
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

  setHandler(
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

  setHandler(
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
    async assign({ task, assignee, by, seq, at }) {
      await acts.assignTask({ taskId: task.id, proposalId, assignee, by, seq, at });
      const pool = taskPool[task.kind];
      if (assignee === null && pool) {
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

  async function councilDecision(): Promise<CouncilOutcome> {
    const number = state.rounds.length + 1;
    const { version } = await acts.generateDecisionPaper({ proposalId, round: number, at: now() });
    const council = await acts.councilComposition();
    const round: CouncilRound = {
      number,
      decisionPaperVersion: version,
      members: council.members,
      chair: council.chair,
      openedAt: now(),
      ballots: [],
    };
    state.rounds.push(round);
    for (const member of council.members) {
      await openTask('councilVote', member, deadlines.councilVote, `r${number}.councilVote.${member}`, number);
    }
    let tally = tallyCouncilVote(round.members, round.ballots);
    await until(() => (tally = tallyCouncilVote(round.members, round.ballots)).status !== 'pending');
    await cancelOpenTasks('the council has decided', (t) => t.kind === 'councilVote' && t.round === number);
    const comments = round.ballots.flatMap((b) => (b.comment ? [b.comment] : []));

    if (tally.status === 'cannotDecide') {
      round.result = 'cannotDecide';
      return { result: 'cannotDecide', comments };
    }
    const result = tally.status === 'decided' ? tally.outcome : 'returnForChanges';
    round.result = tally.status === 'noAgreement' ? 'noAgreement' : result;
    if (result !== 'approve') return { result, comments };

    // The council cannot approve what the fund cannot cover today (seed §2, long-term balance).
    if (patched('council-fund-check')) {
      const fund = await acts.fundPosition({ proposalId });
      if (fund.availableOre < summary.requestedOre) {
        round.result = 'fundCannotCover';
        const why = `Fonden kan ikke dække forslaget i dag: ${formatDkkDanish(fund.availableOre)} er fri, der søges ${formatDkkDanish(summary.requestedOre)}.`;
        return { result: 'returnForChanges', comments: [...comments, why] };
      }
    }

    // Without the chair's attestation of legality and priorities there is no approval.
    // A recused chair cannot attest; the first member who voted does.
    const recused = new Set(round.ballots.filter((b) => b.kind === 'conflictOfInterest').map((b) => b.memberId));
    const attester = recused.has(round.chair) ? round.members.find((m) => !recused.has(m))! : round.chair;
    const task = await openTask('councilAttestation', attester, deadlines.councilAttestation, `r${number}.councilAttestation`, number);
    const { input: attestation, at } = await awaitTask(task);
    const a = attestation as TaskInput<'councilAttestation'>;
    round.attestation = { by: attester, at, attested: a.attested, note: a.attested ? a.note : a.reason };
    if (!a.attested) {
      round.result = 'attestationDeclined';
      return { result: 'returnForChanges', comments: [...comments, a.reason] };
    }
    return { result: 'approve', comments };
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
      await moveTo('CouncilDecision', { by: submission!.by });
      const { result, comments } = await councilDecision();
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
    if (summary.fundingTrack === 'directFinancing' && patched('direct-financing-grant')) return directGrant();
    if (summary.fundingTrack === 'outcomeBased' && patched('procurement')) {
      const settings = await acts.procurementSettings({ date: today() });
      const result = await procurementStage({ state, settings, now, until, moveTo, record });
      if (result.outcome === 'cancelled') return close('Cancelled', result.reason, result.by);
      // Proposals whose award stood before contracting existed wait in AwaitingInvestor.
      if (!patched('contracting')) await moveTo('AwaitingInvestor');
      else {
        await contracting();
        if (patched('outcome-payouts')) return implementation();
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

  /**
   * The outcome contract at work: at each measurement point (a durable timer; a
   * point already past is due at once) outcome data, their verification, the
   * payment the rate card earns from the reservation, and the department's realised
   * savings of which the agreed share returns to the fund; at the end a final report,
   * and what is still reserved goes back. The history grows with the measurement
   * points (at most 40), not with the years between them.
   */
  async function implementation(): Promise<Closure> {
    const d = await acts.currentDeadlines();
    const contract = state.contracting!.contract!;
    const savingsAgreement = state.cooperationAgreement!.savingsShare;
    const payee = contract.payee === 'investor' ? contract.investor : contract.provider;
    const secretary = contract.proposedBy;
    const head = await acts.resolveAssignee({ role: 'department', department: summary.responsibleDepartment });
    const impl: ImplementationState = (state.implementation = {
      measurements: [],
      paidOre: 0,
      paidPerMetricOre: {},
      reservedOre: contract.reservedOre!,
      returnedOre: 0,
      returnedPerYearOre: {},
    });

    for (const months of contract.measurementMonths) {
      const dueAt = addMonths(contract.startDate, months);
      const wait = Date.parse(dueAt) - Date.now();
      if (wait > 0) await until(() => false, wait);
      const m: MeasurementState = { months, dueAt };
      impl.measurements.push(m);

      const report = await awaitTask(await openTask('outcomeReport', secretary, d.outcomeReport!, `m${months}.outcomeReport`));
      const verification = await awaitTask(await openTask('outcomeVerification', head, d.outcomeVerification!, `m${months}.outcomeVerification`));
      const units = Object.fromEntries((report.input as TaskInput<'outcomeReport'>).results.map((r) => [r.metric, r.unitsAchieved]));
      const v = verification.input as TaskInput<'outcomeVerification'>;
      if (!v.confirmed) for (const c of v.corrected) units[c.metric] = c.units;
      Object.assign(m, { units, corrected: !v.confirmed });

      const payment = outcomePayment(contract.rateCard, units, { perMetricOre: impl.paidPerMetricOre, totalOre: impl.paidOre }, contract.totalCapOre, impl.reservedOre);
      m.paymentOre = payment.totalOre;
      if (payment.totalOre > 0) {
        const paid = await book(`contract.m${months}.payment`, 'outcomePayment', payment.totalOre, `Resultatbetaling efter ${months} måneder`, verification.actor.userId, payee, true);
        if (!paid.booked) throw new Error(`outcome payment refused: ${paid.refusal}`); // cannot happen: capped by the reservation
        for (const l of payment.lines) impl.paidPerMetricOre[l.metric] = (impl.paidPerMetricOre[l.metric] ?? 0) + l.amountOre;
        impl.paidOre += payment.totalOre;
        impl.reservedOre -= payment.totalOre;
      }

      const savings = await awaitTask(await openTask('savingsConfirmation', head, d.savingsConfirmation!, `m${months}.savingsConfirmation`));
      const realised = (savings.input as TaskInput<'savingsConfirmation'>).realisedSavings;
      const year = Math.ceil(months / 12);
      const share = savingsShare(savingsAgreement, year, realised, impl.returnedPerYearOre[year] ?? 0);
      Object.assign(m, { realisedSavingsOre: realised, returnedOre: share });
      if (share > 0) {
        await book(`contract.m${months}.savings`, 'savingsReturned', share, `Tilbageført besparelse efter ${months} måneder`, savings.actor.userId, summary.responsibleDepartment);
        impl.returnedOre += share;
        impl.returnedPerYearOre[year] = (impl.returnedPerYearOre[year] ?? 0) + share;
      }
    }

    const final = await awaitTask(await openTask('contractFinalReport', secretary, d.contractFinalReport!, 'contractFinalReport'));
    impl.finalReport = { by: final.actor.userId, at: final.at, ...(final.input as TaskInput<'contractFinalReport'>) };
    if (impl.reservedOre > 0) {
      await book('contract.release', 'release', impl.reservedOre, 'Kontraktens uforbrugte reservation frigives', final.actor.userId, contract.provider);
      impl.releasedOre = impl.reservedOre;
      impl.reservedOre = 0;
    }
    return close('Closed', 'the contract has ended: paid for achieved effect, the rest released', final.actor.userId);
  }

  /** Direct financing: the grant agreement, each tranche on its date once its condition is confirmed, the final report. */
  async function directGrant(): Promise<Closure> {
    const d = await acts.currentDeadlines();
    const secretary = input.createdBy;
    await moveTo('GrantAgreement');
    let agreed: { input: TaskInput; actor: Actor; at: string };
    for (let attempt = 1; ; attempt++) {
      const key = attempt === 1 ? 'grantAgreement' : `grantAgreement.${attempt}`;
      agreed = await awaitTask(await openTask('grantAgreement', secretary, d.grantAgreement!, key));
      const g = agreed.input as GrantAgreement;
      const reserved = await book(`${key}.reservation`, 'reservation', g.amount, `Tilsagn: ${summary.title}`, agreed.actor.userId, g.grantee);
      if (reserved.booked) break;
      // The fund's free money is not enough for this grant: the secretariat sets a new one.
      await acts.notify({ key: `${proposalId}.${key}.refused`, event: 'grantRefusedByFund', proposalId, to: { users: [secretary] } });
    }
    const g = agreed.input as GrantAgreement;
    const grant: GrantState = (state.grant = {
      grantee: g.grantee,
      amountOre: g.amount,
      conditions: g.conditions,
      agreedBy: agreed.actor.userId,
      agreedAt: agreed.at,
      reservedOre: g.amount,
      tranches: g.tranches.map((t) => ({ dueDate: t.dueDate, amountOre: t.amount, condition: t.condition, status: 'scheduled' })),
    });
    await moveTo('GrantActive', { by: agreed.actor.userId });

    for (const [i, tranche] of grant.tranches.entries()) {
      // A date already past (an agreement entered late) is due at once.
      const wait = Date.parse(`${tranche.dueDate}T00:00:00Z`) - Date.now();
      if (wait > 0) await until(() => false, wait);
      tranche.status = 'due';
      const { input: c, actor, at } = await awaitTask(await openTask('trancheConfirmation', secretary, d.trancheConfirmation!, `tranche.${i + 1}`));
      const confirmation = c as TaskInput<'trancheConfirmation'>;
      Object.assign(tranche, { decidedBy: actor.userId, decidedAt: at });
      // The tranche leaves the reservation either way: paid out, or back to free capital.
      await book(`tranche.${i + 1}.release`, 'release', tranche.amountOre, `Rate ${i + 1}: ud af reservationen`, actor.userId, grant.grantee);
      grant.reservedOre -= tranche.amountOre;
      if (confirmation.confirmed) {
        await book(`tranche.${i + 1}.payment`, 'directGrant', tranche.amountOre, `Rate ${i + 1} af tilskuddet`, actor.userId, grant.grantee);
        tranche.status = 'paid';
      } else {
        tranche.status = 'withheld';
        tranche.reason = confirmation.reason;
      }
    }

    const report = await awaitTask(await openTask('grantFinalReport', secretary, d.grantFinalReport!, 'grantFinalReport'));
    const r = report.input as TaskInput<'grantFinalReport'>;
    grant.finalReport = { by: report.actor.userId, at: report.at, ...r };
    return close('Closed', 'the grant is paid and the final report received', report.actor.userId);
  }

  /**
   * After the award: investor offers, the secretariat's choice confirmed by the
   * chair, the outcome contract with its cap within what was approved, signed by
   * the secretariat and the department; on signing the cap is reserved in the fund.
   */
  async function contracting() {
    const d = await acts.currentDeadlines();
    const award = state.procurement!.award!;
    const c: ContractingState = (state.contracting = { offers: [] });
    let selectionRound = 0;
    let signing = false;
    const selectedOffer = () => c.offers.find((o) => o.id === c.selection?.offerId);
    // Read from the chair's completed task itself, so a step right after the answer sees it.
    const investorConfirmed = () => {
      const last = [...state.tasks].reverse().find((t) => t.kind === 'investorConfirmation');
      return (last && (completions.get(last.id)?.input as TaskInput<'investorConfirmation'> | undefined)?.confirmed) === true;
    };

    setHandler(
      contractingUpdate,
      async ({ actor, input: a }) => {
        const at = now();
        if (a.action === 'registerInvestorOffer') {
          c.offers.push({
            id: `offer-${c.offers.length + 1}`,
            investor: a.investor,
            amountCommittedOre: a.amountCommitted,
            expectedReturnBasisPoints: a.expectedReturnBasisPoints,
            repaymentCapOre: a.repaymentCap,
            conditions: a.conditions,
            by: actor.userId,
            at,
          });
        } else if (a.action === 'selectInvestor') {
          c.selection = { offerId: a.offerId, rationale: a.rationale, by: actor.userId, at };
        } else {
          c.contract = {
            provider: award.supplier,
            investor: selectedOffer()!.investor,
            startDate: a.startDate,
            measurementMonths: a.measurementMonths,
            rateCard: a.rateCard.map((r) => ({ metric: r.metric, unit: r.unit, pricePerUnitOre: r.pricePerUnit, targetUnits: r.targetUnits, maxPaymentOre: r.maxPayment })),
            totalCapOre: a.totalCap,
            payee: a.payee,
            proposedBy: actor.userId,
            signatures: [],
          };
        }
        await record(`contracting.${a.action}`, actor.userId, { input: a });
        return { stage: state.stage };
      },
      {
        validator: ({ actor, input: a }) => {
          requireSecretariat(actor);
          if (state.stage !== 'Contracting') throw conflict(`the proposal is in ${state.stage}, not Contracting`);
          if (a.action === 'registerInvestorOffer' && investorConfirmed()) throw conflict('the investor is already chosen');
          if (a.action === 'selectInvestor') {
            const awaitingChair = state.tasks.some((t) => t.kind === 'investorConfirmation' && t.status === 'open');
            if (awaitingChair || (c.selection && !c.selection.confirmation && selectionRound === 0)) throw conflict('a choice of investor awaits the chair');
            if (investorConfirmed()) throw conflict('the investor is already chosen');
            if (!c.offers.some((o) => o.id === a.offerId)) throw conflict(`no investor offer ${a.offerId}`);
          }
          if (a.action === 'proposeContract') {
            if (!investorConfirmed()) throw conflict('the chair has not confirmed an investor yet');
            if (signing) throw conflict('the contract is out for signature');
            if (a.totalCap > summary.requestedOre) {
              throw conflict(`the cap may not exceed the ${wholeKroner(summary.requestedOre)} DKK the council and the mayor approved`);
            }
          }
        },
      },
    );

    await moveTo('Contracting');
    // The chair confirms the choice, or sends it back for another.
    for (;;) {
      await until(() => c.selection !== undefined && !c.selection.confirmation);
      const selection = c.selection!;
      selectionRound += 1;
      const chair = (await acts.councilComposition()).chair;
      const { input, actor, at } = await awaitTask(
        await openTask('investorConfirmation', chair, d.investorConfirmation!, `investorConfirmation.${selectionRound}`),
      );
      const answer = input as TaskInput<'investorConfirmation'>;
      selection.confirmation = { confirmed: answer.confirmed, by: actor.userId, at, reason: answer.confirmed ? undefined : answer.reason };
      if (answer.confirmed) break;
      // The secretariat may already have chosen again.
      if (c.selection === selection) c.selection = undefined;
    }

    // Signed by both, then the cap is reserved; a cap the fund cannot hold sends the contract back.
    for (let attempt = 1; ; attempt++) {
      await until(() => c.contract !== undefined && c.contract.signatures.length === 0 && !c.contract.signedAt);
      const contract = c.contract!;
      signing = true;
      const head = await acts.resolveAssignee({ role: 'department', department: summary.responsibleDepartment });
      const tasks = [
        await openTask('contractSigning', contract.proposedBy, d.contractSigning!, `contractSigning.${attempt}.secretariat`),
        await openTask('contractSigning', head, d.contractSigning!, `contractSigning.${attempt}.department`),
      ];
      for (const task of tasks) {
        const signed = await awaitTask(task);
        contract.signatures.push({ by: signed.actor.userId, at: signed.at });
      }
      const reserved = await book(`contract.${attempt}.reservation`, 'reservation', contract.totalCapOre, `Resultatkontrakt: ${summary.title}`, contract.proposedBy, contract.provider);
      signing = false;
      if (reserved.booked) {
        contract.signedAt = now();
        contract.reservedOre = contract.totalCapOre;
        break;
      }
      await acts.notify({ key: `${proposalId}.contract.${attempt}.refused`, event: 'contractRefusedByFund', proposalId, to: { users: [contract.proposedBy] } });
      c.contract = undefined;
    }
    await moveTo('Implementation');
  }

  /** What a withdrawn grant still had reserved goes back to free capital. */
  async function releaseGrantReservation(by: string) {
    const grant = state.grant;
    if (!grant || grant.reservedOre === 0) return;
    await book('grant.release-on-withdrawal', 'release', grant.reservedOre, 'Tilsagn trukket tilbage', by, grant.grantee);
    for (const t of grant.tranches) if (t.status === 'scheduled' || t.status === 'due') t.status = 'released';
    grant.reservedOre = 0;
  }

  let closure: Closure;
  try {
    await acts.recordEvent({ key: `${proposalId}.created`, proposalId, type: 'created', by: input.createdBy, at: now() });
    closure = await lifecycle();
  } catch (err) {
    if (err !== withdrawn) throw err;
    await releaseGrantReservation(withdrawal!.by);
    closure = await close('Withdrawn', withdrawal!.reason, withdrawal!.by);
  }
  await condition(allHandlersFinished);
  return closure;
}
