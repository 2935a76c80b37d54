import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Operators find proposals by these in the Temporal UI and `temporal workflow list --query`.
export const ProposalId = defineSearchAttributeKey('ProposalId', SearchAttributeType.KEYWORD);
export const ProposalStage = defineSearchAttributeKey('ProposalStage', SearchAttributeType.KEYWORD);
export const WelfareArea = defineSearchAttributeKey('WelfareArea', SearchAttributeType.KEYWORD);
export const FundingTrack = defineSearchAttributeKey('FundingTrack', SearchAttributeType.KEYWORD);
export const RequestedAmountDKK = defineSearchAttributeKey('RequestedAmountDKK', SearchAttributeType.INT);

/** For registering them on a server: name → the CLI's type name. */
export const customSearchAttributes = {
  ProposalId: 'Keyword',
  ProposalStage: 'Keyword',
  WelfareArea: 'Keyword',
  FundingTrack: 'Keyword',
  RequestedAmountDKK: 'Int',
} as const;
