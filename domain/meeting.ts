import { annualReportWorkflowId } from './annualReport';
import { tallyCouncilVote, type Ballot } from './councilVote';
import type { Refusal } from './refusals';
import type { Stage } from './stages';

/**
 * A meeting of the council (rådsmøde): the council decides in meetings, on complete
 * decision papers the secretariat has prepared (seed, kommissorium). The yearly
 * dialogue meeting with the Magistrate (dialogmøde med Magistraten) is a meeting of
 * its own kind: on the calendar, with its own reminder, without decisions.
 */
export type MeetingKind = 'council' | 'dialogue';

/**
 * planned → agendaSent → recorded → minutesApproved; cancelled before it is recorded. The
 * chair may return the minutes (recorded → minutesReturned) until the secretariat records
 * the meeting again (→ recorded).
 */
export type MeetingStatus = 'planned' | 'agendaSent' | 'recorded' | 'minutesReturned' | 'minutesApproved' | 'cancelled';

/**
 * What can be put on an agenda, each naming the case it is about. A new kind is one
 * member here, its decision paper in `agendaItemPath`, and how the API finds the case
 * and the council's decision on it (api/meetingItems.ts). The secretariat's
 * recommendations (indstillinger) of a provider and of an investor are items on the
 * proposal they belong to.
 */
export const agendaItemKinds = ['proposal', 'annualReport', 'awardRecommendation', 'investorRecommendation'] as const;
export type AgendaItemKind = (typeof agendaItemKinds)[number];

export interface AgendaItem {
  /** `i1`, `i2`, … in the order items were put on the agenda. */
  id: string;
  kind: AgendaItemKind;
  /** A proposal's id (also of its award or investor recommendation), or the year of the annual report. */
  caseId: string;
  /**
   * Which of the case's decisions the item is for: a proposal's council round, a
   * recommendation's number, the annual report's version. A revised case goes before the
   * council again as an item of its own. Items put on before it was kept have none.
   */
  round?: number;
  title: string;
  addedBy: string;
  addedAt: string;
}

type ItemCase = Pick<AgendaItem, 'kind' | 'caseId' | 'round'>;

/** Whether two items put the same decision before the council: one case, and one round of it where both name theirs. */
export const sameDecision = (a: ItemCase, b: ItemCase) => a.kind === b.kind && a.caseId === b.caseId && (a.round === undefined || b.round === undefined || a.round === b.round);

/**
 * What the minutes say the council decided on an item. The council's choice is the
 * one its members' own votes produced (their tasks); `postponed` when it did not
 * decide at this meeting.
 */
export const itemDecisions = ['approve', 'reject', 'returnForChanges', 'noAgreement', 'cannotDecide', 'postponed'] as const;
export type ItemDecision = (typeof itemDecisions)[number];

export interface RecordedItem {
  itemId: string;
  decision: ItemDecision;
  /** Members with a conflict of interest (inhabilitet) who took no part in the item. */
  conflicts: string[];
  note?: string;
}

/** What the secretariat recorded at or after the meeting. */
export interface MeetingRecord {
  /** Members present; the others seated on the council were absent. */
  present: string[];
  absent: string[];
  items: RecordedItem[];
  by: string;
  at: string;
}

export interface Meeting {
  id: string;
  kind: MeetingKind;
  /** When it begins, an ISO instant. */
  startsAt: string;
  place?: string;
  videoLink?: string;
  status: MeetingStatus;
  plannedBy: string;
  agenda: AgendaItem[];
  agendaSentAt?: string;
  record?: MeetingRecord;
  minutesApproval?: { by: string; at: string; comment?: string };
  /**
   * Each time the chair returned the minutes, with what to correct and by when the secretariat
   * is to record the meeting again (returns before that deadline existed have none); at most `maxMinutesReturns`.
   */
  minutesReturns?: { by: string; at: string; comment: string; correctBy?: string }[];
  cancellation?: { by: string; at: string; reason: string };
}

/** An agenda holds at most this many items, so a meeting's history stays bounded. */
export const maxAgendaItems = 30;

/** The chair returns one meeting's minutes at most this many times (then approves them, with a remark), so its history stays bounded. */
export const maxMinutesReturns = 5;

/** Why the chair may not return the minutes now, or undefined. */
export function minutesReturnRefusal(m: Meeting): Refusal | undefined {
  return (m.minutesReturns?.length ?? 0) >= maxMinutesReturns ? { code: 'minutesReturnedTooOften', max: maxMinutesReturns } : undefined;
}

export const meetingWorkflowId = (meetingId: string) => `meeting-${meetingId}`;
/** Meeting ids are `M-` and the date and a random part: notices about one name it as their case. */
export const isMeetingId = (id: string) => /^M-\d{8}-[0-9a-f]{6}$/.test(id);

/** The page each item's decision paper is on, from the meeting's notices and pages. */
export function agendaItemPath(item: Pick<AgendaItem, 'kind' | 'caseId' | 'round'>): string {
  switch (item.kind) {
    case 'proposal':
      return `/proposals/${encodeURIComponent(item.caseId)}#papers-title`;
    case 'annualReport':
      // The version the council decided on, as it got it: a returned one is redrafted in place.
      return `/reports/${encodeURIComponent(item.caseId)}/print${item.round ? `?version=${item.round}` : ''}`;
    case 'awardRecommendation':
      return `/proposals/${encodeURIComponent(item.caseId)}/procurement#award-recommendations-title`;
    case 'investorRecommendation':
      return `/proposals/${encodeURIComponent(item.caseId)}/procurement#investor-recommendations-title`;
  }
}

/** The stage a proposal is in while each kind of recommendation on it awaits the council. */
export const recommendationStages = { awardRecommendation: 'Procurement', investorRecommendation: 'Contracting' } as const satisfies Partial<Record<AgendaItemKind, Stage>>;
export type RecommendationKind = keyof typeof recommendationStages;

/** Items whose case is a proposal's workflow: it is told it is on an agenda, so in meeting voting its council's tasks open then. */
export const isProposalItem = (kind: AgendaItemKind) => kind !== 'annualReport';

/** The case whose timeline an item's steps are written on. */
export const timelineCaseOf = (item: Pick<AgendaItem, 'kind' | 'caseId'>): string => (item.kind === 'annualReport' ? annualReportWorkflowId(Number(item.caseId)) : item.caseId);

/** When the agenda goes out: the notice period before the meeting, or at once if that has passed. */
export function agendaDueIn(startsAt: string, noticeMs: number, nowMs: number): number {
  return Math.max(0, Date.parse(startsAt) - noticeMs - nowMs);
}

/** How long after its start a meeting takes an item: an urgent case raised at the meeting, not one weeks later. */
export const agendaOpenAfterStartMs = 12 * 3_600_000;
/** Whether the meeting is over for its agenda: past the day it was held, whether or not it is recorded yet. */
export const meetingOver = (m: Pick<Meeting, 'startsAt'>, nowMs: number) => nowMs > Date.parse(m.startsAt) + agendaOpenAfterStartMs;

/**
 * Why an item may not go on the agenda now, or undefined. Not once the meeting is over:
 * minutes recorded late would otherwise say the council decided, at a meeting held weeks
 * before, a case added since. Without the item: whether the meeting takes items at all.
 */
export function agendaRefusal(m: Meeting, item: ItemCase | undefined, nowMs: number): Refusal | undefined {
  if (m.kind === 'dialogue') return { code: 'dialogueHasNoAgenda' };
  if (m.status !== 'planned' && m.status !== 'agendaSent') return { code: 'meetingNotOpen', status: m.status };
  if (meetingOver(m, nowMs)) return { code: 'meetingOver', startsAt: m.startsAt };
  if (item && m.agenda.some((i) => sameDecision(i, item))) return { code: 'alreadyOnAgenda', caseId: item.caseId };
  if (m.agenda.length >= maxAgendaItems) return { code: 'agendaFull', max: maxAgendaItems };
  return undefined;
}

/** The most meetings one case is put before: each puts it on the case's timeline and in its workflow's history. */
export const maxAgendasPerCase = 20;

/**
 * Why an item may not go on this meeting's agenda given the other meetings, or undefined:
 * a decision is before one meeting at a time (a postponed one goes on the next once that
 * was held; a revised case may go on another while its earlier round waits to be
 * recorded), and a case before a bounded number in all, cancelled meetings included.
 */
export function otherAgendasRefusal(meetingId: string, others: readonly Meeting[], item: ItemCase): Refusal | undefined {
  const holding = others.filter((m) => m.agenda.some((i) => i.kind === item.kind && i.caseId === item.caseId));
  const pending = holding.find((m) => m.id !== meetingId && (m.status === 'planned' || m.status === 'agendaSent') && m.agenda.some((i) => sameDecision(i, item)));
  if (pending) return { code: 'onAnotherAgenda', caseId: item.caseId, meetingId: pending.id };
  if (holding.length >= maxAgendasPerCase) return { code: 'tooManyAgendas', caseId: item.caseId, max: maxAgendasPerCase };
  return undefined;
}

/**
 * Whether a decision the votes have made still needs its minutes: an agenda held that
 * round of the case by name, and no meeting recorded it since. Its meeting was cancelled,
 * or recorded it as postponed, while the votes stayed open and then decided. It goes on
 * another agenda, whose minutes say what the votes decided. Not while a meeting to come
 * holds it: that one records it. An item from before rounds were kept names no round,
 * and came before any round that is named.
 */
export function awaitsMinutes(meetings: readonly Meeting[], item: ItemCase & { round: number }): boolean {
  const named = meetings.some((m) => m.agenda.some((i) => i.kind === item.kind && i.caseId === item.caseId && i.round === item.round));
  // A meeting to come that may hold it will record it; a record counts only for the round its item named (one from before rounds were kept came before any named round).
  const recordsIt = (m: Meeting) =>
    m.status === 'planned' || m.status === 'agendaSent'
      ? m.agenda.some((i) => sameDecision(i, item))
      : m.agenda.some((i) => i.round === item.round && sameDecision(i, item) && m.record?.items.some((r) => r.itemId === i.id && r.decision !== 'postponed'));
  return named && !meetings.some(recordsIt);
}

/**
 * Why the meeting may not be recorded now, or undefined: after it began, once, every item
 * once. `returnsSeen`: how often the chair had returned the minutes when the record's form
 * was drawn; a form drawn before her latest return would replace the record she asked to
 * have corrected without answering her (undefined: not checked).
 */
export function recordRefusal(m: Meeting, items: readonly Pick<RecordedItem, 'itemId'>[], nowMs: number, returnsSeen?: number): Refusal | undefined {
  // Recorded again once the chair has returned the minutes.
  if (m.status !== 'planned' && m.status !== 'agendaSent' && m.status !== 'minutesReturned') return { code: 'meetingNotOpen', status: m.status };
  if (nowMs < Date.parse(m.startsAt)) return { code: 'meetingNotHeld', startsAt: m.startsAt };
  const returns = m.minutesReturns?.length ?? 0;
  if (returnsSeen !== undefined && returnsSeen !== returns) return { code: 'minutesReturnedSinceDrawn', returns };
  const ids = items.map((i) => i.itemId);
  const missing = m.agenda.filter((i) => !ids.includes(i.id)).map((i) => i.id);
  const unknown = ids.filter((id, n) => !m.agenda.some((i) => i.id === id) || ids.indexOf(id) !== n);
  if (missing.length || unknown.length) return { code: 'recordEachItem', items: m.agenda.map((i) => i.id) };
  return undefined;
}

/**
 * Why the meeting may not be cancelled now, or undefined: only before it begins. Once begun
 * it is recorded, so the minutes the chair approves say who came and what became of each
 * item (postponed, when the council did not decide it, or the meeting never took place);
 * a cancellation then would leave a meeting the council may have held without minutes.
 */
export function cancelRefusal(m: Meeting, nowMs: number): Refusal | undefined {
  if (m.status !== 'planned' && m.status !== 'agendaSent') return { code: 'meetingNotOpen', status: m.status };
  if (nowMs >= Date.parse(m.startsAt)) return { code: 'meetingBegun', startsAt: m.startsAt };
  return undefined;
}

/**
 * The council's decision on a case as its members' votes produced it: none yet while they
 * are still voting. `votes` are the seated members and their ballots, where the decision
 * was voted (not an annual report's approvals).
 */
export type CaseOutcome = { decided: false } | { decided: true; decision: ItemDecision; conflicts: string[]; votes?: { members: readonly string[]; ballots: readonly Ballot[] } };

/**
 * The secretariat's record of an item checked against the council's own votes: the
 * minutes say what the votes decided, or that the item was postponed while they have
 * not. The conflicts the members declared in their votes are always on record.
 */
export function checkRecordedItem(item: RecordedItem, outcome: CaseOutcome): { refusal: Refusal } | { recorded: RecordedItem } {
  if (!outcome.decided) {
    if (item.decision !== 'postponed') return { refusal: { code: 'votesOutstanding', itemId: item.itemId } };
    return { recorded: item };
  }
  if (item.decision !== outcome.decision) return { refusal: { code: 'decisionDiffersFromVotes', itemId: item.itemId, decision: outcome.decision } };
  const carried = votesThatCarried(outcome, item.conflicts);
  if (carried.length) return { refusal: { code: 'conflictedVoteCarried', itemId: item.itemId, members: carried } };
  return { recorded: { ...item, conflicts: [...new Set([...outcome.conflicts, ...item.conflicts])].sort() } };
}

/**
 * Of the members the record names as having a conflict of interest (inhabilitet), those
 * who voted all the same, when the votes without theirs do not decide as recorded: their
 * votes carried the decision, which a disqualified member may not (forvaltningsloven §3).
 * The minutes would then record a decision that was not the council's. A vote that did
 * not carry it changes nothing, and the conflict is recorded.
 */
function votesThatCarried(outcome: Extract<CaseOutcome, { decided: true }>, named: readonly string[]): string[] {
  if (!outcome.votes) return [];
  const { members, ballots } = outcome.votes;
  const voted = named.filter((id) => ballots.some((b) => b.memberId === id && b.kind === 'vote'));
  if (!voted.length) return [];
  const tally = tallyCouncilVote(
    members,
    ballots.map((b): Ballot => (voted.includes(b.memberId) ? { memberId: b.memberId, kind: 'conflictOfInterest' } : b)),
  );
  const without = tally.status === 'decided' ? tally.outcome : tally.status;
  return without === outcome.decision ? [] : [...voted].sort();
}

/**
 * Who may be named in a record: the council that met (`councilThen`, as it sat when the
 * meeting began), or, when the meeting is recorded again after the chair returned the
 * minutes, those the first record named.
 */
export function membersOfRecord(m: Meeting, councilThen: readonly string[]): string[] {
  return m.status === 'minutesReturned' && m.record ? [...m.record.present, ...m.record.absent].sort() : [...councilThen];
}

/**
 * An item recorded again after the chair returned the minutes. Its decision stays the one
 * first recorded, which the votes gave at the meeting: the correction is of attendance,
 * conflicts and notes. Votes that have moved on since (a postponed item decided later, a
 * report redrafted and before the council again) are not held against it.
 */
export function checkRecordedAgain(item: RecordedItem, first: RecordedItem, outcome: CaseOutcome): { refusal: Refusal } | { recorded: RecordedItem } {
  if (item.decision !== first.decision) return { refusal: { code: 'decisionAsRecorded', itemId: item.itemId, decision: first.decision } };
  const votesStill = outcome.decided ? outcome.decision === first.decision : first.decision === 'postponed';
  return votesStill ? checkRecordedItem(item, outcome) : { recorded: item };
}
