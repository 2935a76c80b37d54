import type { Ballot, VoteChoice } from './councilVote';
import type { ContractingState } from './contract';
import type { GrantState } from './grant';
import type { ImplementationState } from './payout';
import type { ProcurementState } from './procurement';
import type { Reason } from './refusals';
import type { Stage } from './stages';
import type { CooperationAgreement } from './cooperationAgreement';
import type { Role } from './people';
import type { TaskKind, TaskStatus } from './tasks';

/** A task as the workflow tracks it; the database holds the same as a read model. */
export interface TaskRef {
  id: string;
  kind: TaskKind;
  /** A user id; null while the task waits in its role's pool (see taskPool) for someone to claim it. */
  assignee: string | null;
  /** How often it changed hands, so the read model never goes back to an older assignee. */
  assignments?: number;
  /** Of those, the moves the administrator's role changes made, which are bounded apart. */
  reassignments?: number;
  /** The role whoever answers must hold when they answer; a department's task also names the department. */
  role: Role;
  department?: string;
  dueAt: string;
  status: TaskStatus;
  overdue: boolean;
  round?: number;
  completedBy?: string;
  completedAt?: string;
}

export type RecordedBallot = Ballot & { comment?: string; at: string };

/** One council round: a resubmission opens a new one; earlier rounds stay on record. */
export interface CouncilRound {
  number: number;
  decisionPaperVersion: number;
  /** Seated when the round opened; a member who leaves the council before voting gives their seat to the one who replaced them. */
  members: string[];
  chair: string;
  openedAt: string;
  /** In meeting mode: the meeting whose agenda opened the round's votes. */
  meetingId?: string;
  ballots: RecordedBallot[];
  result?: VoteChoice | 'noAgreement' | 'cannotDecide' | 'attestationDeclined' | 'fundCannotCover';
  attestation?: { by: string; at: string; attested: boolean; note?: string };
  /** Those asked to attest who declared a conflict of interest, each with their reason: another attested. */
  attestationConflicts?: { by: string; at: string; reason: string }[];
  closedAt?: string;
}

export interface Closure {
  stage: Stage;
  /** A code with parameters; closures recorded before reasons had codes hold English text. */
  reason: Reason;
  by?: string;
  at: string;
}

/** What the `state` query returns: the live truth of one proposal. */
export interface LifecycleState {
  proposalId: string;
  stage: Stage;
  stageSeq: number;
  rounds: CouncilRound[];
  /** The number of the round the council has before it, from the submission until the round is over (its attestation too); what a meeting's agenda item is for. */
  councilRound?: number;
  mayoralDecision?: { by: string; at: string; decision: 'approve' | 'refuse'; reason?: string };
  cooperationAgreement?: CooperationAgreement & { by: string; at: string };
  /** Outcome-based track: the procedure, tender, bids, evaluation and award. */
  procurement?: ProcurementState;
  /** After the award: investor, outcome contract, signatures and reservation. */
  contracting?: ContractingState;
  /** Implementation: measurement points, outcome payments and savings returned. */
  implementation?: ImplementationState;
  /** Direct financing: the grant agreement, its tranches and the final report. */
  grant?: GrantState;
  /** The final stage the case is on its way to, from the first step of its closing: withdrawn no more. */
  closingAs?: Stage;
  closure?: Closure;
  tasks: TaskRef[];
  /** How many commitments (see commitment.ts) the workflow has recorded: the number of the newest, which the read model keeps. */
  commitmentSeq?: number;
}
