import type { FundingTrack, WelfareArea } from '../domain/stages';

/** Deadlines in milliseconds, fixed when the workflow starts (from configuration). */
export interface DeadlineSettings {
  councilVote: number;
  councilAttestation: number;
  mayoralApproval: number;
  cooperationAgreement: number;
  grantAgreement: number;
  trancheConfirmation: number;
  grantFinalReport: number;
  investorConfirmation: number;
  contractSigning: number;
  outcomeReport: number;
  outcomeVerification: number;
  savingsConfirmation: number;
  contractFinalReport: number;
  /** How long before the due date the assignee is reminded. */
  reminderBefore: number;
}

/** What operators see and search by; revised drafts update it. */
export interface ProposalSummary {
  title: string;
  welfareArea: WelfareArea;
  fundingTrack: FundingTrack;
  responsibleDepartment: string;
  requestedOre: number;
}

export interface LifecycleInput {
  proposalId: string;
  createdBy: string;
  summary: ProposalSummary;
  deadlines: DeadlineSettings;
}

export function workflowIdFor(proposalId: string): string {
  return `proposal-${proposalId}`;
}
