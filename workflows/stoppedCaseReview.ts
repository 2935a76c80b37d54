import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { hasRole } from '../domain/people';
import type { TaskInput } from '../domain/tasks';
import type { TaskRef } from '../domain/lifecycleState';
import { acts } from './activities';
import { recordAnswer } from './taskCompletion';
import { completeTaskUpdate, conflict, forbidden, setUpdateHandler } from './messages';
import { handleTaskPool } from './taskPool';
import { handleTaskReassignment } from './taskReassignment';
import { copenhagenDay } from '../domain/dates';

export interface StoppedCaseReviewInput {
  proposalId: string;
  title: string;
  /** Who gets the task first (the case's secretary); any member of the secretariat may claim it. */
  assignee: string;
  dueInMs: number;
  /** How the case's workflow ended (Terminated, Failed, …) and what the fund held for it then (øre). */
  status: string;
  reservedOre: number;
  earmarkedOre: number;
}

export interface StoppedCaseReviewResult {
  decision: 'release' | 'keep';
  by: string;
  releasedOre: number;
  earmarkReleasedOre: number;
}

/** One review per proposal: the reconciler starts it under this id, so it starts once. */
export const stoppedCaseReviewWorkflowId = (proposalId: string) => `stopped-case-review-${proposalId}`;

/**
 * A case whose workflow an operator stopped may still hold money in the fund. Nothing
 * is released by itself: the secretariat is given a task to release it (booked here,
 * once) or keep it (a signed contract may still owe payments), and says why.
 * Completing, claiming and releasing the task reach this workflow through the task's
 * `workflowId` in the read model.
 */
export async function stoppedCaseReview(input: StoppedCaseReviewInput): Promise<StoppedCaseReviewResult> {
  const { proposalId } = input;
  const now = () => new Date().toISOString();
  const task: TaskRef = {
    id: `${proposalId}.stoppedCaseReview`,
    kind: 'stoppedCaseReview',
    assignee: input.assignee,
    role: 'secretariat',
    dueAt: new Date(Date.now() + input.dueInMs).toISOString(),
    status: 'open',
    overdue: false,
  };
  let answer: { by: string; input: TaskInput<'stoppedCaseReview'>; at: string } | undefined;

  setUpdateHandler(
    completeTaskUpdate,
    async ({ actor, input: taskInput }) => {
      const at = await recordAnswer(task, proposalId, actor, taskInput);
      answer = { by: actor.userId, input: taskInput as TaskInput<'stoppedCaseReview'>, at };
      return { stage: 'StoppedByOperator' as const, completedAt: at };
    },
    {
      validator: ({ actor, taskId }) => {
        if (taskId !== task.id) throw conflict({ code: 'taskNotHere', taskId });
        if (task.status !== 'open') throw conflict({ code: 'taskNotOpen', status: task.status });
        if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
        if (task.assignee === null) throw forbidden({ code: 'claimFirst' });
        if (task.assignee !== actor.userId) throw forbidden({ code: 'assignedToSomeoneElse' });
      },
    },
  );

  handleTaskPool({
    tasks: [task],
    now,
    blocked: () => undefined,
    async assign({ assignee, by, seq, at, pool }) {
      await acts.assignTask({ taskId: task.id, proposalId, assignee, by, seq, at });
      if (assignee === null) {
        await acts.notify({ key: `${task.id}.released.${seq}`, event: 'taskReleased', proposalId, taskId: task.id, to: { roles: [pool] } });
      }
    },
  });

  // A secretary who leaves the secretariat hands the review back to the pool.
  handleTaskReassignment({
    tasks: [task],
    now,
    successor: () => Promise.resolve(null),
    async assign({ assignee, from, reason, by, seq, at }) {
      await acts.assignTask({ taskId: task.id, proposalId, assignee, by, seq, at, from, reason });
      await acts.notify({ key: `${task.id}.reassigned.${seq}`, event: 'taskReleased', proposalId, taskId: task.id, to: { roles: ['secretariat'] } });
    },
  });

  await acts.openTask({ ...task, assignee: input.assignee, proposalId, title: input.title, at: now(), workflowId: workflowInfo().workflowId });

  // Past its due date the task is overdue and the secretariat hears of it; it stays open until answered.
  if (!(await condition(() => answer !== undefined, input.dueInMs))) {
    await acts.markTaskOverdue({ taskId: task.id, at: now() });
    await acts.notify({ key: `${task.id}.escalated`, event: 'taskEscalated', proposalId, taskId: task.id, to: { roles: ['secretariat'] } });
    await condition(() => answer !== undefined);
  }
  const { by, input: decision, at } = answer!;
  let released = { reservedOre: 0, earmarkedOre: 0 };
  if (decision.decision === 'release') {
    released = await acts.releaseStoppedCase({
      key: `${proposalId}.stopped`,
      proposalId,
      date: copenhagenDay(new Date(at)),
      reason: `Sagen stoppet af en operatør: ${decision.reason}`,
      by,
    });
  }
  await acts.recordEvent({
    key: `${proposalId}.stoppedCaseReviewed`,
    proposalId,
    type: 'stoppedCaseReviewed',
    by,
    at,
    details: { decision: decision.decision, reason: decision.reason, releasedOre: released.reservedOre, earmarkReleasedOre: released.earmarkedOre },
  });
  await condition(allHandlersFinished);
  return { decision: decision.decision, by, releasedOre: released.reservedOre, earmarkReleasedOre: released.earmarkedOre };
}
