import type { BookingResult, EntryKind } from '../domain/ledger';
import type { Actor, Role } from '../domain/people';
import type { Stage } from '../domain/stages';
import type { TaskInput, TaskKind } from '../domain/tasks';
import type { DeadlineSettings, ProposalSummary } from './input';
import type { Closure, LifecycleState, TaskRef } from '../domain/lifecycleState';
import type { Reason } from '../domain/refusals';

/** A task's answer as the lifecycle received it. */
export interface Completion {
  actor: Actor;
  input: TaskInput;
  at: string;
}

/** A task a step opens; `role`: what whoever answers must hold then, if not the kind's own (see taskRole). */
export interface NewTask {
  kind: TaskKind;
  assignee: string;
  dueInMs: number;
  /** Makes the task's id, so a retried step opens it once. */
  key: string;
  round?: number;
  role?: Role;
}

/**
 * What each stage after the council (grant, contracting, implementation) needs from the lifecycle around it.
 * Stages run inside a CancellationScope that a withdrawal cancels: any wait (condition, sleep)
 * throws then, and activities (see `acts`) finish the step under way first.
 */
export interface StageContext {
  proposalId: string;
  state: LifecycleState;
  summary(): ProposalSummary;
  createdBy: string;
  /** Fixed when the workflow started. */
  deadlines: DeadlineSettings;
  now(): string;
  /** The workflow's date, YYYY-MM-DD. */
  today(): string;
  moveTo(stage: Stage, note?: { by?: string; reason?: Reason }): Promise<void>;
  record(type: string, by: string, details: Record<string, unknown>): Promise<void>;
  /** A ledger entry keyed by this proposal and `key`, so a retry books it once. */
  book(key: string, kind: EntryKind, amountOre: number, reason: string, by: string, counterpart?: string, fromReservation?: boolean): Promise<BookingResult>;
  /** Records the case's commitment for the outlook where no booking or stage change does (each booking and stage change records it). */
  recordCommitment(): Promise<void>;
  /** `role`: what whoever answers must hold then, if not the kind's own (see taskRole). */
  openTask(kind: TaskKind, assignee: string, dueInMs: number, key: string, round?: number, role?: Role): Promise<TaskRef>;
  /** Several tasks at once (a council's votes, a contract's signatures): one step, not one each. */
  openTasks(tasks: NewTask[]): Promise<TaskRef[]>;
  awaitTask(task: TaskRef): Promise<Completion>;
  /** The answer to a task, if it has one; read the moment it is given. */
  answerOf(taskId: string): TaskInput | undefined;
  close(stage: Stage, reason: Reason, by?: string): Promise<Closure>;
  cancelOpenTasks(reason: Reason, which: (t: TaskRef) => boolean): Promise<void>;
  /** Raised each time the API says the council's roles changed: a council waiting to be seated looks again. */
  councilChanges(): number;
  /** council.voting "meeting", fixed at the start: the council's tasks open once the question is on a meeting's agenda. */
  votesAtMeeting: boolean;
}
