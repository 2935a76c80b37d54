/** Where a proposal stands. Also the value of the ProposalStage search attribute. */
export const stages = [
  'Motivation', // motivation: the secretariat drafts and revises
  'CouncilDecision', // rådets beslutning
  'MayoralApproval', // borgmesterens godkendelse
  'CooperationAgreement', // samarbejdsaftale with the department
  'AwaitingProcurement', // outcome-based track: tendering comes next
  'Procurement', // udbud: the procedure, the tender, bids, evaluation, award and standstill
  'Contracting', // investor offers, the chair's confirmation, the outcome contract and its signatures
  'Implementation', // the contract is signed and its cap reserved; outcome payments come next
  'AwaitingGrant', // direct-financing track: the grant agreement comes next
  'GrantAgreement', // the secretariat sets amount, tranches and conditions
  'GrantActive', // tranches are paid on their dates, then the final report
  'Closed', // the initiative is finished and its money settled
  'Rejected', // by the council
  'Refused', // by the mayor
  'Withdrawn', // by the secretariat
  'Cancelled', // procurement cancelled: no acceptable bid
  'StoppedByOperator', // its workflow was terminated, failed or timed out outside the application (see worker/reconciler.ts)
] as const;
export type Stage = (typeof stages)[number];

/**
 * Approved by the council but not yet holding money in the ledger: what they asked
 * for is spoken for, and counts against the free capital until it is reserved.
 */
export const approvedUnreservedStages: readonly Stage[] = [
  'MayoralApproval',
  'CooperationAgreement',
  'AwaitingProcurement',
  'Procurement',
  'Contracting',
  'AwaitingGrant',
  'GrantAgreement',
];

export const finalStages: ReadonlySet<Stage> = new Set(['Rejected', 'Refused', 'Withdrawn', 'Closed', 'Cancelled', 'StoppedByOperator']);

export const welfareAreas = [
  'homelessness',
  'employment',
  'health',
  'mentalHealth',
  'substanceAbuse',
  'childrenAndYouth',
  'education',
  'elderly',
  'disability',
  'crimePrevention',
  'other',
] as const;
export type WelfareArea = (typeof welfareAreas)[number];

export const fundingTracks = ['outcomeBased', 'directFinancing'] as const;
export type FundingTrack = (typeof fundingTracks)[number];
