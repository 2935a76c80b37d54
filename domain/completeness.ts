import type { Proposal } from './proposal';

/** What a proposal may lack before the council can decide on it: each part a stable code, translated where it is shown. */
export type MissingCode =
  'targetGroup' | 'outcomes' | 'motivation' | 'evidence' | 'businessCase' | 'requestedAmount' | 'requestedAboveCost' | 'expectedSavings' | 'whyNotInExistingBudget';

export interface MissingPart {
  /** The proposal's field, as the API names it. */
  field: string;
  code: MissingCode;
}

/** The parts in the secretariat's words, for the API's `missing` and its `errors[].message`. */
export const missingEnglish: Record<MissingCode, string> = {
  targetGroup: 'describe the target group, its size and inclusion criteria',
  outcomes: 'at least one desired outcome',
  motivation: 'the rationale and its evidence',
  evidence: 'at least one evidence reference',
  businessCase: 'total cost, amount asked of the fund, and expected savings (or, for direct financing, why no existing budget covers it)',
  requestedAmount: 'the amount asked of the fund',
  requestedAboveCost: 'may not exceed the total cost',
  expectedSavings: 'expected savings per department per year',
  whyNotInExistingBudget: 'why the initiative would not happen within an existing budget',
};

/** What a proposal still lacks before the council can decide on it; empty when it may be submitted. */
export function missingForSubmission(p: Proposal): MissingPart[] {
  const missing: MissingPart[] = [];
  const lacks = (field: string, code: MissingCode) => missing.push({ field, code });
  if (!p.targetGroup) lacks('targetGroup', 'targetGroup');
  if (p.outcomes.length === 0) lacks('outcomes', 'outcomes');
  if (!p.motivation) lacks('motivation', 'motivation');
  else if (p.motivation.evidence.length === 0) lacks('motivation.evidence', 'evidence');
  const bc = p.businessCase;
  if (!bc) {
    lacks('businessCase', 'businessCase');
  } else {
    if (bc.requestedFromFund <= 0) lacks('businessCase.requestedFromFund', 'requestedAmount');
    if (bc.requestedFromFund > bc.totalCost) lacks('businessCase.requestedFromFund', 'requestedAboveCost');
    if (p.fundingTrack === 'outcomeBased' && bc.expectedSavings.length === 0) lacks('businessCase.expectedSavings', 'expectedSavings');
    if (p.fundingTrack === 'directFinancing' && !bc.whyNotInExistingBudget) lacks('businessCase.whyNotInExistingBudget', 'whyNotInExistingBudget');
  }
  return missing;
}
