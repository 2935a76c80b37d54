import { hasRole, type Actor, type Role } from './people';
import type { TaskKind } from './tasks';

// Apart from the task input schemas (tasks.ts): workflow code reads the pool and must not load zod (test/unit/workflowSandbox.test.ts).

/**
 * Tasks of the secretariat's own case work: any member may take one over (claim),
 * and whoever holds it may hand it back to the pool (release), e.g. before a holiday.
 * Votes, the mayor's approval and the department's steps stay personal.
 */
export const taskPool: Partial<Record<TaskKind, Role>> = {
  grantAgreement: 'secretariat',
  trancheConfirmation: 'secretariat',
  grantFinalReport: 'secretariat',
  outcomeReport: 'secretariat',
  contractFinalReport: 'secretariat',
  stoppedCaseReview: 'secretariat',
};

/** The kinds of task the actor's roles may take from the pool. */
export function poolKindsOf(actor: Actor): TaskKind[] {
  return (Object.keys(taskPool) as TaskKind[]).filter((kind) => hasRole(actor, taskPool[kind]!));
}
