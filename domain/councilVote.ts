/**
 * The council's voting rule (rådets afstemning). Not in the terms of reference,
 * needed in practice: a majority of the three members decides; a member with a
 * conflict of interest (inhabilitet, forvaltningsloven §3) does not vote; with one
 * member recused the other two must agree; with fewer than two who can vote the
 * council cannot decide.
 */
export type VoteChoice = 'approve' | 'reject' | 'returnForChanges';
export type Ballot = { memberId: string } & ({ kind: 'vote'; choice: VoteChoice } | { kind: 'conflictOfInterest' });

export type Tally =
  { status: 'pending' } | { status: 'decided'; outcome: VoteChoice; unanimous: boolean } | { status: 'noAgreement' } | { status: 'cannotDecide'; eligible: number };

export const minimumEligibleVoters = 2;

/** A member's answer on a proposal as the voting rule counts it: a declared conflict of interest is no vote. */
export const voteBallot = (memberId: string, decision: VoteChoice | 'conflictOfInterest'): Ballot =>
  decision === 'conflictOfInterest' ? { memberId, kind: 'conflictOfInterest' } : { memberId, kind: 'vote', choice: decision };

/** Who declared a conflict of interest (inhabilitet) in a round: they neither vote nor attest its decision. */
export const recusedIn = (ballots: readonly Ballot[]): string[] => ballots.filter((b) => b.kind === 'conflictOfInterest').map((b) => b.memberId);

/** Who declared a conflict of interest in a round: voting, or when asked to attest its decision. */
export const conflictedIn = (round: { ballots: readonly Ballot[]; attestationConflicts?: readonly { by: string }[] } | undefined): string[] =>
  round ? [...recusedIn(round.ballots), ...(round.attestationConflicts ?? []).map((c) => c.by)] : [];

export function tallyCouncilVote(members: readonly string[], ballots: readonly Ballot[]): Tally {
  const ballotOf = new Map(ballots.filter((b) => members.includes(b.memberId)).map((b) => [b.memberId, b]));
  const recused = members.filter((m) => ballotOf.get(m)?.kind === 'conflictOfInterest').length;
  const eligible = members.length - recused;
  if (eligible < minimumEligibleVoters) return { status: 'cannotDecide', eligible };

  const votes = [...ballotOf.values()].flatMap((b) => (b.kind === 'vote' ? [b.choice] : []));
  // A majority of the whole council when all can vote; otherwise every eligible member.
  const needed = eligible === members.length ? Math.floor(members.length / 2) + 1 : eligible;
  for (const choice of ['approve', 'reject', 'returnForChanges'] as const) {
    const count = votes.filter((v) => v === choice).length;
    if (count >= needed) return { status: 'decided', outcome: choice, unanimous: count === eligible };
  }
  // Everyone eligible has voted and no choice carries: the council has not agreed.
  if (votes.length === eligible) return { status: 'noAgreement' };
  return { status: 'pending' };
}
