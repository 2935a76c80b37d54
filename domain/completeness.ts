import type { Proposal } from './proposal';

/**
 * What a proposal still lacks before the council can decide on it, in words the
 * secretariat can act on. Empty when it may be submitted.
 */
export function missingForSubmission(p: Proposal): string[] {
  const missing: string[] = [];
  if (!p.targetGroup) missing.push('targetGroup: describe the target group, its size and inclusion criteria');
  if (p.outcomes.length === 0) missing.push('outcomes: at least one desired outcome');
  if (!p.motivation) missing.push('motivation: the rationale and its evidence');
  else if (p.motivation.evidence.length === 0) missing.push('motivation.evidence: at least one evidence reference');
  const bc = p.businessCase;
  if (!bc) {
    missing.push(`businessCase: total cost, amount asked of the fund and ${p.fundingTrack === 'outcomeBased' ? 'expected savings' : 'why no existing budget covers it'}`);
  } else {
    if (bc.requestedFromFund <= 0) missing.push('businessCase.requestedFromFund: the amount asked of the fund');
    if (bc.requestedFromFund > bc.totalCost) missing.push('businessCase.requestedFromFund: may not exceed the total cost');
    if (p.fundingTrack === 'outcomeBased' && bc.expectedSavings.length === 0) {
      missing.push('businessCase.expectedSavings: expected savings per department per year');
    }
    if (p.fundingTrack === 'directFinancing' && !bc.whyNotInExistingBudget) {
      missing.push('businessCase.whyNotInExistingBudget: why the initiative would not happen within an existing budget');
    }
  }
  return missing;
}
