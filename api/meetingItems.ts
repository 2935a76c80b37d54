import { selectionBallots, withCouncil, type CouncilSelection, type SelectionAnswer, type SelectionResult } from '../domain/councilSelection';
import { recusedIn, tallyCouncilVote, voteBallot, type VoteChoice } from '../domain/councilVote';
import { awaitsMinutes, recommendationStages, type AgendaItem, type RecommendationKind, type AgendaItemKind, type CaseOutcome, type ItemDecision } from '../domain/meeting';
import type { CouncilRound, LifecycleState } from '../domain/lifecycleState';
import type { ReportDoc, Store, TaskDoc } from '../store';
import type { LifecycleClient } from './lifecycle';
import { conflict, HttpProblem, notFound } from './problem';

/** How the API finds a case of one kind of agenda item, and the council's decision on it. */
interface AgendaCase {
  /**
   * The case's title and the round of it the council is to decide, if it awaits the
   * council's decision or the minutes of one its votes made (`awaitsMinutes`, the oldest
   * first): 404 if there is no such case, 409 if it awaits neither.
   */
  awaiting(caseId: string): Promise<{ title: string; round?: number; forMinutes?: true }>;
  /** What the council's members decided on the item's round of its case by their own tasks, as far as they have; `meetingId` the meeting it was on. */
  outcome(item: Pick<AgendaItem, 'caseId' | 'round'>, meetingId: string): Promise<CaseOutcome>;
}

const roundDecision: Record<NonNullable<CouncilRound['result']>, ItemDecision> = {
  approve: 'approve',
  reject: 'reject',
  returnForChanges: 'returnForChanges',
  noAgreement: 'noAgreement',
  cannotDecide: 'cannotDecide',
  // The council approved; the approval fell afterwards (the fund, the chair's attestation), which the proposal's timeline tells.
  fundCannotCover: 'approve',
  attestationDeclined: 'approve',
};

const selectionDecision: Record<SelectionResult, ItemDecision> = {
  approved: 'approve',
  returned: 'returnForChanges',
  noAgreement: 'noAgreement',
  cannotDecide: 'cannotDecide',
};

/** The council's answer on each kind of recommendation: its members' tasks. */
const decisionKind: Record<RecommendationKind, DecisionKind> = { awardRecommendation: 'awardDecision', investorRecommendation: 'investorDecision' };

/** A recommendation to the council as an agenda item sees it: whom it recommends, the meeting it was put on, the council's decision. */
type Recommendation = { recommended: string; meetingId?: string; council?: CouncilSelection };

/** A case's state, or nothing once Temporal no longer keeps its history (its retention ran out after the case closed). */
async function stateIfKept(lifecycle: LifecycleClient, caseId: string): Promise<LifecycleState | undefined> {
  try {
    return await lifecycle.state(caseId);
  } catch (err) {
    if (err instanceof HttpProblem && err.refusal.code === 'historyNotKept') return undefined;
    throw err;
  }
}

/** The council's answers on a case, by kind of decision. */
type DecisionKind = 'councilVote' | 'awardDecision' | 'investorDecision';
type DecisionTask = Pick<TaskDoc, 'assignee' | 'completedBy' | 'status' | 'input' | 'round'>;

const decisionTasks = (store: Store, caseId: string, kind: DecisionKind): Promise<DecisionTask[]> =>
  store.tasks.find({ proposalId: caseId, kind }, { assignee: 1, completedBy: 1, status: 1, input: 1, round: 1 }).lean();

/**
 * A round's decision from its members' tasks in the read model, for a case whose workflow
 * Temporal no longer keeps: a meeting recorded late, or corrected after the chair returned
 * its minutes, is not held up by a case that closed meanwhile. The answers are tallied by
 * the rule the workflow used (each answer is kept with its task; a task moved to a member's
 * replacement counts for the replacement). No `round` (an item from before rounds were
 * kept): the latest.
 */
function tallyFromTasks(all: readonly DecisionTask[], kind: DecisionKind, round: number | undefined): CaseOutcome {
  const latest = Math.max(0, ...all.map((t) => t.round ?? 0));
  const tasks = all.filter((t) => (t.round ?? 0) === (round ?? latest));
  // No task of the round: its votes never opened (the case closed before its meeting or its council), so nothing was decided.
  if (!tasks.length) return { decided: false };
  const members = [...new Set(tasks.flatMap((t) => ((t.completedBy ?? t.assignee) ? [(t.completedBy ?? t.assignee)!] : [])))].sort();
  const answers = tasks.flatMap((t) => (t.status === 'completed' && t.completedBy && t.input ? [{ memberId: t.completedBy, ...(t.input as { decision: string }) }] : []));
  const ballots =
    kind === 'councilVote'
      ? answers.map((a) => voteBallot(a.memberId, a.decision as VoteChoice | 'conflictOfInterest'))
      : selectionBallots(answers as ({ memberId: string } & SelectionAnswer)[]);
  const tally = tallyCouncilVote(members, ballots);
  if (tally.status === 'pending') return { decided: false };
  return { decided: true, decision: tally.status === 'decided' ? tally.outcome : tally.status, conflicts: recusedIn(ballots), votes: { members, ballots } };
}

const outcomeFromTasks = async (store: Store, caseId: string, kind: DecisionKind, round: number | undefined) =>
  tallyFromTasks(await decisionTasks(store, caseId, kind), kind, round);

/** The rounds of a case whose workflow Temporal no longer keeps that its members' tasks decided. */
async function decidedFromTasks(store: Store, caseId: string, kind: DecisionKind): Promise<number[]> {
  const all = await decisionTasks(store, caseId, kind);
  const rounds = [...new Set(all.flatMap((t) => (t.round ? [t.round] : [])))].sort((a, b) => a - b);
  return rounds.filter((round) => tallyFromTasks(all, kind, round).decided);
}

/** Of a case's decided rounds, the first whose decision still needs its minutes, if any: read only when some round is decided. */
async function oldestUnminuted(store: Store, kind: AgendaItemKind, caseId: string, decided: readonly number[]): Promise<{ round: number; title: string } | undefined> {
  if (!decided.length) return undefined;
  const meetings = (await store.meetings.find({ 'meeting.agenda.caseId': caseId }, { meeting: 1 }).lean()).map((d) => d.meeting);
  const round = decided.find((r) => awaitsMinutes(meetings, { kind, caseId, round: r }));
  // The title it had on the agenda that held it (awaitsMinutes found one).
  const held = round && meetings.flatMap((m) => m.agenda).find((i) => i.kind === kind && i.caseId === caseId && i.round === round);
  return held ? { round: held.round!, title: held.title } : undefined;
}

/** A report's history entries that are the council's decision on a version. */
const councilDecisions = ['returned', 'approved'];

/** The versions of a report the council has decided: each in its history, and an approved one in its status too. */
function decidedVersions(doc: Pick<ReportDoc, 'status' | 'version' | 'history'>): number[] {
  const decided = doc.history.filter((h) => councilDecisions.includes(h.status)).map((h) => h.version);
  if (doc.status === 'approved' || doc.status === 'sentToCityCouncil') decided.push(doc.version);
  return [...new Set(decided)].sort((a, b) => a - b);
}

/**
 * The secretariat's recommendations of a provider or an investor on a proposal: the last
 * awaits the council until it decides. Found from the proposal's workflow, which holds them.
 */
function recommendationCase(store: Store, lifecycle: LifecycleClient, kind: RecommendationKind, of: (state: LifecycleState) => Recommendation[]): AgendaCase {
  return {
    async awaiting(caseId) {
      const doc = await store.proposals.findById(caseId, { content: 1 }).lean();
      if (!doc) throw notFound('proposal', caseId);
      const state = await stateIfKept(lifecycle, caseId);
      // Closed long ago (Temporal no longer keeps it), a case awaits only the minutes of a decision its members' tasks made.
      const recommendations = state && of(state);
      const decided = recommendations ? recommendations.flatMap((r, n) => (r.council?.result ? [n + 1] : [])) : await decidedFromTasks(store, caseId, decisionKind[kind]);
      const unminuted = await oldestUnminuted(store, kind, caseId, decided);
      // Titled as its agenda had it: whom it recommended, also once Temporal no longer keeps the case.
      if (unminuted) return { ...unminuted, forMinutes: true };
      // A case withdrawn meanwhile keeps its last recommendation undecided: it awaits nothing.
      if (!state || !recommendations || state.stage !== recommendationStages[kind] || !withCouncil(recommendations)) throw conflict({ code: 'notAwaitingCouncil', caseId });
      return { title: `${(doc.content as { title: string }).title}: ${recommendations.at(-1)!.recommended}`, round: recommendations.length };
    },
    async outcome({ caseId, round }, meetingId) {
      const state = await stateIfKept(lifecycle, caseId);
      if (!state) return outcomeFromTasks(store, caseId, decisionKind[kind], round);
      const recommendations = of(state);
      // The recommendation the item was for; on items from before that was kept, the one this meeting put before the council, else the newest.
      const council = (round ? recommendations[round - 1] : (recommendations.find((r) => r.meetingId === meetingId) ?? recommendations.at(-1)))?.council;
      if (!council?.result) return { decided: false };
      const conflicts = council.answers.flatMap((a) => (a.decision === 'conflictOfInterest' ? [a.memberId] : []));
      return { decided: true, decision: selectionDecision[council.result], conflicts, votes: { members: council.members, ballots: selectionBallots(council.answers) } };
    },
  };
}

/**
 * Each kind of agenda item: how its case is found and decided. A new kind is one entry
 * here beside its member of `agendaItemKinds` (domain/meeting.ts).
 */
export function agendaCases(store: Store, lifecycle: LifecycleClient): Record<AgendaItemKind, AgendaCase> {
  return {
    proposal: {
      async awaiting(caseId) {
        const doc = await store.proposals.findById(caseId, { content: 1, stage: 1 }).lean();
        if (!doc) throw notFound('proposal', caseId);
        const title = (doc.content as { title: string }).title;
        // Past the council, only a case an agenda has held may have a decision awaiting its minutes.
        if (doc.stage !== 'CouncilDecision' && !(await store.meetings.exists({ 'meeting.agenda.caseId': caseId }))) throw conflict({ code: 'notAwaitingCouncil', caseId });
        const state = await stateIfKept(lifecycle, caseId);
        // Closed long ago (Temporal no longer keeps it), a case awaits only the minutes of a round its members' tasks decided.
        const decided = state ? state.rounds.flatMap((r) => (r.result ? [r.number] : [])) : await decidedFromTasks(store, caseId, 'councilVote');
        const unminuted = await oldestUnminuted(store, 'proposal', caseId, decided);
        if (unminuted) return { title, round: unminuted.round, forMinutes: true };
        if (!state) throw conflict({ code: 'notAwaitingCouncil', caseId });
        const { stage, councilRound: kept, rounds } = state;
        // A round the council has decided awaits it no more, though its chair's attestation keeps the stage.
        // A worker from before the round was kept (a rolling update) answers without it: the newest round, or the next.
        const last = rounds.at(-1);
        const councilRound = kept ?? (last && !last.result ? last.number : rounds.length + 1);
        if (stage !== 'CouncilDecision' || decided.includes(councilRound)) throw conflict({ code: 'notAwaitingCouncil', caseId });
        return { title, round: councilRound };
      },
      async outcome({ caseId, round: number }, meetingId) {
        const state = await stateIfKept(lifecycle, caseId);
        if (!state) return outcomeFromTasks(store, caseId, 'councilVote', number);
        const { rounds } = state;
        // The round the item was for (none yet while it waits for its council); on items from before that was kept, the round this meeting opened (meeting mode), else the newest.
        const round = number ? rounds.find((r) => r.number === number) : (rounds.find((r) => r.meetingId === meetingId) ?? rounds.at(-1));
        if (!round?.result) return { decided: false };
        const conflicts = round.ballots.flatMap((b) => (b.kind === 'conflictOfInterest' ? [b.memberId] : []));
        return { decided: true, decision: roundDecision[round.result], conflicts, votes: { members: round.members, ballots: round.ballots } };
      },
    },
    annualReport: {
      async awaiting(caseId) {
        const year = Number(caseId);
        const doc = Number.isInteger(year) ? await store.reports.findById(year, { status: 1, version: 1, history: 1 }).lean() : null;
        if (!doc) throw notFound('report', caseId);
        const title = `Afrapportering ${year}`;
        const unminuted = await oldestUnminuted(store, 'annualReport', caseId, decidedVersions(doc));
        if (unminuted) return { title, round: unminuted.round, forMinutes: true };
        if (doc.status !== 'awaitingCouncil') throw conflict({ code: 'notAwaitingCouncil', caseId });
        return { title, round: doc.version };
      },
      async outcome({ caseId, round: version }) {
        const doc = await store.reports.findById(Number(caseId), { status: 1, version: 1, history: 1 }).lean();
        // A version the council returned has been redrafted since: its decision is in the report's history.
        const status =
          version && doc && doc.version !== version ? doc.history.filter((h) => h.version === version && councilDecisions.includes(h.status)).at(-1)?.status : doc?.status;
        if (status === 'approved' || status === 'sentToCityCouncil') return { decided: true, decision: 'approve', conflicts: [] };
        if (status === 'returned') return { decided: true, decision: 'returnForChanges', conflicts: [] };
        return { decided: false };
      },
    },
    awardRecommendation: recommendationCase(store, lifecycle, 'awardRecommendation', (s) => (s.procurement?.recommendations ?? []).map((r) => ({ ...r, recommended: r.supplier }))),
    investorRecommendation: recommendationCase(store, lifecycle, 'investorRecommendation', ({ contracting: c }) =>
      (c?.recommendations ?? []).map((r) => ({ ...r, recommended: c!.offers.find((o) => o.id === r.offerId)?.investor ?? r.offerId })),
    ),
  };
}
