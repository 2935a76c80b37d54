import { hasRole, type Actor, type Role } from './people';
import type { TaskKind } from './tasks';

// Apart from the task input schemas (tasks.ts): workflow code reads the pool and the roles and must not load zod (test/unit/workflowSandbox.test.ts).

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
  councilComposition: 'secretariat',
  minutesCorrection: 'secretariat',
};

/**
 * The role each kind of task needs of whoever answers it, at the moment they answer.
 * A task opened for another role says so itself: the department's signature on a
 * contract, a member attesting for a recused chair.
 */
export const taskRole: Record<TaskKind, Role> = {
  councilVote: 'councilMember',
  councilAttestation: 'councilChair',
  mayoralApproval: 'mayor',
  cooperationAgreement: 'department',
  grantAgreement: 'secretariat',
  trancheConfirmation: 'secretariat',
  grantFinalReport: 'secretariat',
  awardDecision: 'councilMember',
  investorDecision: 'councilMember',
  contractSigning: 'secretariat',
  outcomeReport: 'secretariat',
  outcomeVerification: 'department',
  savingsConfirmation: 'department',
  contractFinalReport: 'secretariat',
  stoppedCaseReview: 'secretariat',
  councilComposition: 'secretariat',
  reportApproval: 'councilMember',
  minutesApproval: 'councilChair',
  minutesCorrection: 'secretariat',
};

/** Whether the actor holds, now, the role a task needs (a department's task: in that department). */
export function mayAnswer(actor: Actor, task: { role: Role; department?: string }): boolean {
  return hasRole(actor, task.role) && (task.role !== 'department' || task.department === undefined || actor.department === task.department);
}

/** The kinds of task the actor's roles may take from the pool. */
export function poolKindsOf(actor: Actor): TaskKind[] {
  return (Object.keys(taskPool) as TaskKind[]).filter((kind) => hasRole(actor, taskPool[kind]!));
}
