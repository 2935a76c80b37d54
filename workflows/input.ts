import type { AppliedUpdates } from './appliedUpdates';
import type { LifecycleState } from '../domain/lifecycleState';
import type { FundingTrack, WelfareArea } from '../domain/stages';

/** Deadlines in milliseconds, fixed when the workflow starts (from configuration). */
export interface DeadlineSettings {
  councilVote: number;
  /** For the secretariat to have an incomplete council seated before a round can open. */
  councilComposition: number;
  councilAttestation: number;
  mayoralApproval: number;
  cooperationAgreement: number;
  grantAgreement: number;
  trancheConfirmation: number;
  grantFinalReport: number;
  /** Each council member's decision on a recommendation of a provider (award) or an investor. */
  awardDecision: number;
  investorDecision: number;
  contractSigning: number;
  outcomeReport: number;
  outcomeVerification: number;
  savingsConfirmation: number;
  contractFinalReport: number;
  /** Each council member's answer on the annual report. */
  reportApproval: number;
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
  /** The outcome metrics the proposal names: a contract's rate card pays for these only. Cases started before they were kept have none, and are not checked. */
  outcomeMetrics?: string[];
}

export interface LifecycleInput {
  proposalId: string;
  createdBy: string;
  summary: ProposalSummary;
  deadlines: DeadlineSettings;
  /**
   * How the council votes (council.voting), fixed at the start: `meeting` opens a round's
   * votes once the proposal is on a meeting's agenda. Absent in workflows started before
   * meetings existed, which vote as `async` does: at once.
   */
  councilVoting?: 'async' | 'meeting';
  /** Set when Motivation continues as new: what the earlier run knew. */
  carried?: CarriedLifecycle;
}

/** What a lifecycle continued as new in Motivation (no open tasks there) takes along. */
export interface CarriedLifecycle {
  state: LifecycleState;
  revision: number;
  /** How many timeline entries the workflow has written, so their keys go on counting. */
  recorded: number;
  /** The Updates applied last, so one sent again reaches this run as the one applied (absent before they were carried). */
  updates?: AppliedUpdates;
}

export function workflowIdFor(proposalId: string): string {
  return `proposal-${proposalId}`;
}
