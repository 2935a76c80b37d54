import type { LifecycleState } from './lifecycleState';
import type { Refusal } from './refusals';
import { finalStages, type Stage } from './stages';
import { tallyCouncilVote } from './councilVote';

/** A contract is signed by the secretariat that proposed it and by the responsible department's head (workflows/contracting.ts opens a task for each). */
const signaturesNeeded = 2;

/** What of a case decides whether it may be withdrawn; beside the stage, what the page cannot ask the workflow is left out. */
export type WithdrawalView = { stage: Stage } & Partial<Pick<LifecycleState, 'closingAs' | 'rounds' | 'councilRound' | 'contracting'>>;

/**
 * Why a proposal cannot be withdrawn (trækkes tilbage) now, or undefined. Until its
 * contract is signed the secretariat may withdraw it; a signed contract binds the fund
 * to the provider and the investor, and ends only as the contract says. A case on its
 * way to a final stage is as good as there: the council has rejected it, or it is
 * closing. The workflow's validator and the case page ask the same question.
 */
export function withdrawalRefusal(c: WithdrawalView): Refusal | undefined {
  const stage = c.closingAs ?? (councilRejects(c) ? 'Rejected' : c.stage);
  if (finalStages.has(stage)) return { code: 'alreadyClosed', stage };
  // Signed by both, the contract binds before the fund has reserved its cap (a reservation refused removes it).
  const contract = c.contracting?.contract;
  if (stage === 'Implementation' || (contract && (contract.signedAt || contract.signatures.length >= signaturesNeeded))) return { code: 'contractSigned' };
  return undefined;
}

/** The round before the council has a majority to reject: the case closes as Rejected once its other vote tasks are cancelled. */
function councilRejects(c: WithdrawalView): boolean {
  const round = c.stage === 'CouncilDecision' ? c.rounds?.find((r) => r.number === c.councilRound) : undefined;
  if (!round) return false;
  const tally = tallyCouncilVote(round.members, round.ballots);
  return tally.status === 'decided' && tally.outcome === 'reject';
}
