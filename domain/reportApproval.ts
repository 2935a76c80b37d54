import { tallyCouncilVote } from './councilVote';

/** A council member's answer on the year's report (its schema, reportApprovalInput, is with the other tasks' in tasks.ts). */
export type ReportApproval = { decision: 'approve'; comments?: string } | { decision: 'return'; comments: string };

export interface ReportBallot {
  memberId: string;
  decision: ReportApproval['decision'];
  comments?: string;
  at: string;
}

export type ReportRoundResult = 'pending' | 'approved' | 'returned';

/**
 * The council approves the report by the rule it decides proposals by
 * (domain/councilVote.ts): a majority of the whole council decides, and the round
 * ends as soon as one has. Anything short of a majority for approval returns the
 * report: an even council split in two, or one too small to decide at all (fewer
 * than two members). A conflict of interest is not declared on the report: it is the
 * secretariat's account of the year, not a decision on a case.
 */
export function decideReportRound(members: readonly string[], ballots: readonly ReportBallot[]): ReportRoundResult {
  const tally = tallyCouncilVote(
    members,
    ballots.map((b) => ({ memberId: b.memberId, kind: 'vote' as const, choice: b.decision === 'approve' ? ('approve' as const) : ('returnForChanges' as const) })),
  );
  if (tally.status === 'pending') return 'pending';
  return tally.status === 'decided' && tally.outcome === 'approve' ? 'approved' : 'returned';
}
