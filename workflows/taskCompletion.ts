import type { CancellationScope } from '@temporalio/workflow';
import type { TaskRef } from '../domain/lifecycleState';
import type { Actor } from '../domain/people';
import { conflict, forbidden } from './messages';

/**
 * A personal task of this workflow the actor may answer now: it is here, open, and
 * theirs. The role it needs is the caller's to check, as the person holds it now.
 */
export function answerableTask(tasks: readonly TaskRef[], actor: Actor, taskId: string): TaskRef {
  const task = tasks.find((t) => t.id === taskId);
  if (!task) throw conflict({ code: 'taskNotHere', taskId });
  if (task.status !== 'open') throw conflict({ code: 'taskNotOpen', status: task.status });
  if (task.assignee !== actor.userId) throw forbidden({ code: 'assignedToSomeoneElse' });
  return task;
}

/** Marks the task answered before any await, so a second answer is refused by the validator, and ends its deadline's watch. */
export function markAnswered(task: TaskRef, by: string, at: string, watchers: ReadonlyMap<string, CancellationScope>): void {
  task.status = 'completed';
  task.completedBy = by;
  task.completedAt = at;
  watchers.get(task.id)?.cancel();
}
