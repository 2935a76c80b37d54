import { hasRole, type Actor } from '../domain/people';
import { poolKindsOf } from '../domain/taskPool';
import type { TaskKind } from '../domain/tasks';

/** The secretariat and operators oversee every task. */
export function overseesTasks(actor: Actor): boolean {
  return hasRole(actor, 'secretariat') || hasRole(actor, 'operator');
}

/** Who may read a task, in the API and on its page: its holder, whoever may take it from the pool, and those who oversee. */
export function mayReadTask(actor: Actor, task: { assignee: string | null; kind: string }): boolean {
  if (task.assignee === actor.userId || overseesTasks(actor)) return true;
  return task.assignee === null && poolKindsOf(actor).includes(task.kind as TaskKind);
}

/** The read-model filter for tasks nobody holds that the actor's roles may take. */
export function poolFilter(actor: Actor) {
  return { assignee: null, kind: { $in: poolKindsOf(actor) } };
}
