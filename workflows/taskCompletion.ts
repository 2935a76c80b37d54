import type { CancellationScope } from '@temporalio/workflow';
import { acts } from './activities';
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

/**
 * An answer to a task, from a completion Update's handler: marked before any await, so a
 * second answer is refused by the validator, its deadline's watch ended, then put on
 * record. The record is the Update's own step, the server's activity, so it is written
 * only for an accepted Update (workflows/activities.ts); the caller acts on the answer
 * after this resolves. Answers the moment of the answer.
 */
export async function recordAnswer(task: TaskRef, caseId: string, actor: Actor, input: unknown, watchers?: ReadonlyMap<string, CancellationScope>): Promise<string> {
  const at = new Date().toISOString();
  task.status = 'completed';
  task.completedBy = actor.userId;
  task.completedAt = at;
  watchers?.get(task.id)?.cancel();
  await acts.completeTask({ taskId: task.id, proposalId: caseId, by: actor.userId, at, input });
  return at;
}
