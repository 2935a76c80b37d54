import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { NotifyRequest } from '../activities/notifications';
import type { TaskRef } from '../domain/lifecycleState';
import { taskPool } from '../domain/taskPool';
import { acts } from './activities';

export interface DeadlineWatch {
  task: TaskRef;
  dueInMs: number;
  /** How long before the due date the holder is reminded. */
  reminderBefore: number;
  /** The case the notices are about: a proposal's id, or an annual report's workflow id. */
  caseId: string;
  now(): string;
  /** Who hears of it when the deadline passes, asked at that moment. */
  escalateTo(): NotifyRequest['to'];
}

/**
 * Reminds before the due date and escalates when it passes, only while the task is
 * still open. Cancelling the returned scope (the task was answered or cancelled) ends
 * the waiting, never a notification already under way (the outbox's delivery skips a
 * reminder or escalation of a closed task). The deadline runs from the moment the task
 * opens, whatever happens to its notification.
 */
export function watchDeadline(w: DeadlineWatch): CancellationScope {
  const { task, dueInMs, reminderBefore, caseId } = w;
  const scope = new CancellationScope();
  const reminderAfter = dueInMs - reminderBefore;
  const stillOpen = () => task.status === 'open';
  const notifyTask = (event: 'taskReminder' | 'taskEscalated', to: NotifyRequest['to']) =>
    acts.notify({ key: `${task.id}.${event === 'taskReminder' ? 'reminder' : 'escalated'}`, event, proposalId: caseId, taskId: task.id, to });
  scope
    .run(async () => {
      if (reminderAfter > 0) {
        await sleep(reminderAfter);
        // A task nobody holds reminds the whole pool.
        const to = task.assignee === null ? { roles: [taskPool[task.kind]!] } : { users: [task.assignee] };
        if (stillOpen()) await CancellationScope.nonCancellable(() => notifyTask('taskReminder', to));
      }
      await sleep(Math.min(dueInMs, reminderBefore));
      if (!stillOpen()) return;
      await CancellationScope.nonCancellable(async () => {
        if (stillOpen()) task.overdue = true;
        await acts.markTaskOverdue({ taskId: task.id, at: w.now() });
        await notifyTask('taskEscalated', w.escalateTo());
      });
    })
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  return scope;
}
