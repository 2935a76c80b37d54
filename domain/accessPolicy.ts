import type { CouncilRound, RecordedBallot } from './lifecycleState';
import { hasRole, type Actor, type Role } from './people';
import type { ContractingState, InvestorRecommendation } from './contract';
import type { ProcurementState } from './procurement';
import { poolKindsOf } from './taskPool';
import { isMeetingId } from './meeting';
import type { TaskKind } from './tasks';

/**
 * What each person may read of a case: the one place that decides it, for the API,
 * the pages and the Open Contracting export alike. Everything not named here is open
 * to every signed-in person; what is named is withheld while knowing it could sway
 * what is still being decided:
 *
 * - Sealed bids (udbud): until a round's bid window closes nobody reads who bid or at
 *   what price; the secretariat alone sees that bids came and when.
 * - Scores: until a round's award only the secretariat (the evaluators are its
 *   members) reads the evaluators' scores.
 * - Ballots: while a council round is open a member's choice and comment are his own;
 *   the others (the chair and the secretariat included) see only that he has answered.
 *   Once the round is decided every ballot is open to all.
 * - Investor offers: who offered what and on which terms, and the secretariat's
 *   comparison of them, are commercial terms under negotiation, read by those who read
 *   the procurement record. The others read which investor was recommended (as the
 *   council's agenda names it), the council's decision, and the contract.
 *
 * The rules read the case's own record (its tasks and timeline, the workflow's state
 * when it answers), so they hold with the workflow out of reach, and fail closed.
 */

/** A signed-in person, or the public an export (OCDS) is published to. */
export type Reader = Actor | 'public';

const isSecretariat = (r: Reader) => r !== 'public' && hasRole(r, 'secretariat');
const isUser = (r: Reader, userId: string | null | undefined) => r !== 'public' && !!userId && r.userId === userId;

// ── Tasks ────────────────────────────────────────────────────────────────────

/** The secretariat and operators oversee every task. */
export function overseesTasks(actor: Actor): boolean {
  return hasRole(actor, 'secretariat') || hasRole(actor, 'operator');
}

/**
 * Who may read a task, in the API and on its page: its holder, whoever may take it from the
 * pool, and those who oversee. A meeting's task shows the meeting (attendance, conflicts, the
 * chair's corrections), so it is read only by those who may read meetings now: not by one
 * who recorded it as a secretary and has since moved to a department.
 */
/** The tasks on a council meeting (their case is the meeting): its minutes. */
const meetingTaskKinds: readonly TaskKind[] = ['minutesApproval', 'minutesCorrection'];

/**
 * The kinds of task a person's task lists leave out, as `mayReadTask` refuses them one by
 * one: a meeting's, to one who may no longer read meetings (a secretary moved to a
 * department keeps the tasks she completed).
 */
const taskKindsHiddenFrom = (actor: Actor): readonly TaskKind[] => (mayReadMeetings(actor) ? [] : meetingTaskKinds);

/** The same as a part of a task list's query: nothing for most people. */
export function taskListExclusion(actor: Actor): { kind?: { $nin: readonly TaskKind[] } } {
  const hidden = taskKindsHiddenFrom(actor);
  return hidden.length > 0 ? { kind: { $nin: hidden } } : {};
}

export function mayReadTask(actor: Actor, task: { assignee: string | null; kind: string; proposalId: string }): boolean {
  if (isMeetingId(task.proposalId) && !mayReadMeetings(actor)) return false;
  if (task.assignee === actor.userId || overseesTasks(actor)) return true;
  return task.assignee === null && poolKindsOf(actor).includes(task.kind as TaskKind);
}

// ── Council ballots ──────────────────────────────────────────────────────────

/** A task as the read model holds it, as far as these rules need it. */
export interface TaskFacts {
  _id: string;
  kind: string;
  round?: number | null;
  status: string;
  completedBy?: string | null;
  input?: unknown;
}

/** Tasks that are a council member's ballot: on a proposal, on a recommended provider or investor, and on the year's report. */
export const ballotKinds: ReadonlySet<string> = new Set(['councilVote', 'awardDecision', 'investorDecision', 'reportApproval']);

/** A council round by its kind of ballot and number: a proposal's rounds and its recommendations are numbered apart. */
const roundKey = (kind: string, round: number) => `${kind}#${round}`;

/**
 * The council rounds still open: those with a vote nobody has answered yet. The
 * workflow cancels the votes left once the tally decides, so a decided round has none.
 */
export function openCouncilRounds(tasks: readonly Pick<TaskFacts, 'kind' | 'round' | 'status'>[]): ReadonlySet<string> {
  return new Set(tasks.filter((t) => ballotKinds.has(t.kind) && t.status === 'open' && t.round != null).map((t) => roundKey(t.kind, t.round!)));
}

/** A ballot whose choice and comment are withheld: only that the member answered, and when. */
export interface WithheldBallot {
  memberId: string;
  at: string;
  withheld: true;
}

/** A ballot as shown to those it is withheld from. */
const withheldBallot = (b: { memberId: string; at: string }): WithheldBallot => ({ memberId: b.memberId, at: b.at, withheld: true });

function ballotWithheld(reader: Reader, openRounds: ReadonlySet<string>, kind: string, round: number | null | undefined, voter: string | null | undefined): boolean {
  return round != null && openRounds.has(roundKey(kind, round)) && !isUser(reader, voter);
}

/** The council rounds as the reader may see them: during a round, others' ballots show only that they answered. */
export function councilRoundsFor(
  reader: Reader,
  rounds: readonly CouncilRound[],
  openRounds: ReadonlySet<string>,
): (Omit<CouncilRound, 'ballots'> & { ballots: (RecordedBallot | WithheldBallot)[] })[] {
  return rounds.map((round) => ({
    ...round,
    ballots: round.ballots.map((b) => (ballotWithheld(reader, openRounds, 'councilVote', round.number, b.memberId) ? withheldBallot(b) : b)),
  }));
}

/**
 * A round as a workflow answers it after a step (the annual report's sending): undecided
 * by its own tally, so open, others' ballots show only that they answered. From the
 * workflow's own result, not the read model's tasks, which a member may answer before the
 * round's last task is written.
 */
export function workflowRoundFor<B extends { memberId: string; at: string }, R extends { result?: unknown; ballots: readonly B[] }>(
  reader: Reader,
  round: R,
): Omit<R, 'ballots'> & { ballots: (B | WithheldBallot)[] } {
  if (round.result !== undefined) return { ...round, ballots: [...round.ballots] };
  return { ...round, ballots: round.ballots.map((b) => (isUser(reader, b.memberId) ? b : withheldBallot(b))) };
}

/** A task's answer, unless it is a ballot of an open round and the reader is not the voter. */
export function taskAnswerFor<T extends TaskFacts>(reader: Reader, task: T, openRounds: ReadonlySet<string>): T & { withheld?: true } {
  if (!ballotKinds.has(task.kind) || task.input === undefined || !ballotWithheld(reader, openRounds, task.kind, task.round, task.completedBy)) return task;
  const { input: _, ...rest } = task;
  return { ...(rest as T), withheld: true };
}

// ── Procurement: sealed bids and scores ──────────────────────────────────────

/** Who reads the procurement record as it is worked on; the mayor and the departments read what the OCDS export publishes. */
const procurementReaders: readonly Role[] = ['secretariat', 'operator', 'councilMember', 'councilChair'];

export function mayReadProcurement(reader: Reader): boolean {
  return reader !== 'public' && procurementReaders.some((r) => hasRole(reader, r));
}

export interface ProcurementView extends ProcurementState {
  /** The round's bid window is open: `bids` is empty for everybody. */
  bidsSealed: boolean;
  /** While the bids are sealed, to the secretariat only: when each arrived. */
  bidArrivals?: string[];
  /** The round is not awarded yet and the reader is not of the secretariat: `evaluations` is empty. */
  scoresWithheld: boolean;
}

/** A round's scores are the secretariat's until that round has been awarded (an award later annulled by a complaint included). */
const roundAwarded = (p: ProcurementState) => !!p.award || p.earlierRounds.some((r) => r.round === p.round && r.outcome === 'awardAnnulled');

/** The procurement as the reader (or the public) may see it. */
export function procurementFor(reader: Reader, p: ProcurementState): ProcurementView {
  const bidsSealed = !!p.tender?.publishedAt && !p.tender.closedAt;
  const scoresWithheld = !isSecretariat(reader) && !roundAwarded(p);
  return {
    ...p,
    bids: bidsSealed ? [] : p.bids,
    bidsSealed,
    ...(bidsSealed && isSecretariat(reader) ? { bidArrivals: p.bids.map((b) => b.at) } : {}),
    evaluations: scoresWithheld ? [] : p.evaluations,
    scoresWithheld,
  };
}

export interface ContractingView extends Omit<ContractingState, 'recommendations'> {
  /** Without the comparison and rationale when the offers are withheld, naming the investor instead. */
  recommendations: (InvestorRecommendation | (Omit<InvestorRecommendation, 'comparison' | 'rationale'> & { investor?: string }))[];
  /** The offers, and the recommendations' comparison of them, are left out. */
  offersWithheld: boolean;
}

/** The contracting as the reader may see it. */
export function contractingFor(reader: Reader, c: ContractingState): ContractingView {
  if (mayReadProcurement(reader)) return { ...c, offersWithheld: false };
  const investorOf = (offerId: string) => c.offers.find((o) => o.id === offerId)?.investor;
  const recommendations = c.recommendations.map(({ comparison: _, rationale: __, ...r }) => ({ ...r, investor: investorOf(r.offerId) }));
  return { ...c, offers: [], recommendations, offersWithheld: true };
}

/** The contracting steps whose details are an offer or a comparison of offers. */
const offerSteps: ReadonlySet<string> = new Set(['contracting.registerInvestorOffer', 'contracting.recommendInvestor']);

// ── The timeline ─────────────────────────────────────────────────────────────

export interface TimelineFacts {
  type: string;
  by?: string | null;
  details?: unknown;
}

const roundOf = (e: TimelineFacts) => (e.details as { round?: number } | undefined)?.round;

/**
 * The case's timeline as the reader may see it. A sealed bid's registration is the
 * secretariat's alone, without its content; scores before their round's award, an
 * investor's offer or recommendation to those who may not read the offers, and a
 * ballot of an open round, keep only that they were given. The timeline itself says
 * when a round's window closed and when it was awarded.
 */
export function timelineFor<E extends TimelineFacts>(reader: Reader, events: readonly E[], tasks: readonly TaskFacts[]): E[] {
  const closedRounds = new Set(events.filter((e) => e.type === 'procurement.bidWindowClosed').map(roundOf));
  const awardedRounds = new Set(events.filter((e) => e.type === 'procurement.award').map(roundOf));
  const openRounds = openCouncilRounds(tasks);
  const votes = new Map(tasks.filter((t) => ballotKinds.has(t.kind)).map((t) => [t._id, t]));
  const secretariat = isSecretariat(reader);
  const readsOffers = mayReadProcurement(reader);
  const withheld = (e: E, keep: Record<string, unknown>): E => ({ ...e, details: { ...keep, withheld: true } });
  return events.flatMap((e): E[] => {
    const round = roundOf(e);
    if (e.type === 'procurement.registerBid' && !closedRounds.has(round)) return secretariat ? [withheld(e, { round })] : [];
    if (e.type === 'procurement.evaluate' && !secretariat && !awardedRounds.has(round)) return [withheld(e, { round })];
    if (offerSteps.has(e.type) && !readsOffers) return [withheld(e, {})];
    if (operatorEvents.has(e.type) && !readsOperatorNotes(reader)) return [{ ...e, details: withoutOperatorNote(e.details as OperatorNote) }];
    if (e.type === 'taskCompleted') {
      const taskId = (e.details as { taskId?: string } | undefined)?.taskId;
      const vote = taskId ? votes.get(taskId) : undefined;
      if (vote && ballotWithheld(reader, openRounds, vote.kind, vote.round, e.by)) return [withheld(e, { taskId })];
    }
    return [e];
  });
}

// ── What operators recorded ──────────────────────────────────────────────────

/**
 * Who reads what an operator typed in Temporal when stopping or resetting a case's workflow,
 * and the operator's identity there (often an e-mail address): those who act on the stop.
 * The text comes from outside the application and passes no check for CPR numbers.
 */
const operatorNoteReaders: readonly Role[] = ['secretariat', 'operator', 'dataProtectionOfficer'];
const readsOperatorNotes = (reader: Reader) => reader !== 'public' && operatorNoteReaders.some((r) => hasRole(reader, r));
const operatorEvents: ReadonlySet<string> = new Set(['stoppedByOperator', 'workflowReset', 'resetAfterStop']);
type OperatorNote = { reason?: unknown; identity?: unknown } | undefined;
const withoutOperatorNote = <N extends OperatorNote>(note: N): N => {
  if (!note) return note;
  const { reason: _reason, identity: _identity, ...rest } = note;
  return rest as N;
};

/** A stop of the case's workflow as the reader may see it: when and how, and what the fund held; the operator's words and identity to those who act on it. */
export const stoppedFor = <S extends { reason?: string; identity?: string }>(reader: Reader, stop: S): S => (readsOperatorNotes(reader) ? stop : withoutOperatorNote(stop));

// ── Fund-wide views ──────────────────────────────────────────────────────────

/** Who reads the portfolio (every contract and grant, what it achieved and cost): those who decide on the fund's money. */
export const portfolioReaders: readonly Role[] = ['secretariat', 'councilMember', 'councilChair', 'mayor'];

/** Who reads the outbox, which names every notification's recipients: the secretariat and IT operations. */
export const outboxReaders: readonly Role[] = ['secretariat', 'operator'];

/**
 * Who reads the council's meetings, agendas and minutes: the council, the secretariat
 * that prepares them, the mayor (the Magistrate meets the council yearly) and IT
 * operations. A member's vote stays their own while the round is open (above); the
 * minutes record only what the votes decided.
 */
export const meetingReaders: readonly Role[] = ['secretariat', 'councilMember', 'councilChair', 'mayor', 'operator'];

export const mayReadMeetings = (reader: Reader): boolean => reader !== 'public' && meetingReaders.some((r) => hasRole(reader, r));
