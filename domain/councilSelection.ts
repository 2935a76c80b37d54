import { tallyCouncilVote, type Ballot, type Tally } from './councilVote';

/**
 * The council chooses the service provider and the investor (seed §2: the secretariat
 * "bistår rådet … at udvælge serviceleverandør og investor"; the council "træffer
 * beslutninger … med udgangspunkt i fyldestgørende beslutningsoplæg, udarbejdet af
 * sekretariatet"). The secretariat's written recommendation (indstilling) goes to the
 * council, which approves it or returns it with comments. Its voting rule is the one for
 * proposals (councilVote.ts: two of three, recusal); no chair's attestation, which the
 * seed asks of nothing but the decision to invest.
 */
export type SelectionAnswer =
  | { decision: 'approve'; comments?: string }
  | { decision: 'return'; comments: string }
  // A member with a conflict of interest (inhabilitet, e.g. ties to a bidder) declares it and does not vote.
  | { decision: 'conflictOfInterest'; comments?: string };

/** What the council chooses: the service provider (the award) or the investor. */
export type SelectionSubject = 'award' | 'investor';

export type SelectionResult = 'approved' | 'returned' | 'noAgreement' | 'cannotDecide';

/** The council's decision on one recommendation; the answers are filled in once it is decided, never while it is open. */
export interface CouncilSelection {
  members: string[];
  openedAt: string;
  answers: ({ memberId: string; at: string } & SelectionAnswer)[];
  result?: SelectionResult;
  decidedAt?: string;
}

/** What a recommendation asks of the council; anything but approval sends it back to the secretariat. */
export function tallySelection(members: readonly string[], answers: readonly ({ memberId: string } & SelectionAnswer)[]): Tally {
  return tallyCouncilVote(members, selectionBallots(answers));
}

/** The answers as ballots of the council's voting rule: a return is a vote for changes. */
export function selectionBallots(answers: readonly ({ memberId: string } & SelectionAnswer)[]): Ballot[] {
  return answers.map((a) =>
    a.decision === 'conflictOfInterest'
      ? { memberId: a.memberId, kind: 'conflictOfInterest' }
      : { memberId: a.memberId, kind: 'vote', choice: a.decision === 'approve' ? 'approve' : 'returnForChanges' },
  );
}

/** The council's decision once the tally has one; undefined while it is pending. */
export function selectionResult(tally: Tally): SelectionResult | undefined {
  if (tally.status === 'pending') return undefined;
  if (tally.status === 'decided') return tally.outcome === 'approve' ? 'approved' : 'returned';
  return tally.status;
}

/** The last recommendation waits for the council's decision (or for the council to be seated). */
export function withCouncil(recommendations: readonly { council?: CouncilSelection }[]): boolean {
  const last = recommendations.at(-1);
  return !!last && !last.council?.result;
}

/** The investor's offer the council chose: the one its approved recommendation names, if any. */
export function chosenOffer<O extends { id: string }>(c: { offers: readonly O[]; recommendations: readonly { offerId: string; council?: CouncilSelection }[] }): O | undefined {
  const approved = c.recommendations.find((r) => r.council?.result === 'approved');
  return approved && c.offers.find((o) => o.id === approved.offerId);
}

/** Recommendations the council may return in a tender round (or on investors) before the secretariat must re-tender or cancel instead: bounds the history. */
export const recommendationsPerRound = 10;
