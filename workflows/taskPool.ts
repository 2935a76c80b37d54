import { hasRole, type Role } from '../domain/people';
import { taskPool } from '../domain/taskPool';
import { claimTaskUpdate, conflict, forbidden, releaseTaskUpdate, setUpdateHandler } from './messages';
import type { TaskRef } from '../domain/lifecycleState';
import type { Refusal } from '../domain/refusals';
import { acts } from './activities';

/** What claiming and releasing need from the lifecycle around them. */
export interface TaskPoolContext {
  tasks: TaskRef[];
  now(): string;
  /** Why the task cannot change hands now (stale, being withdrawn), or undefined. */
  blocked(task: TaskRef): Refusal | undefined;
  /** Records the new assignee in the read model and timeline; a released task is announced to its role. */
  assign(change: { task: TaskRef; pool: Role; assignee: string | null; by: string; seq: number; at: string }): Promise<void>;
}

/**
 * How often a task may change hands by being taken from its holder or released, so claim
 * and release cannot grow the history without bound. A task in its pool can always be
 * claimed: only a release (bounded here) or a role change (bounded in taskReassignment.ts)
 * puts it there, and a task nobody may take could never be answered.
 */
export const maxHandovers = 120;

const handoversLeft = (task: TaskRef) => (task.assignments ?? 0) < maxHandovers;

/**
 * Claim and release of pooled tasks. The change is made in the handler before any
 * await, so of two colleagues claiming at once the second is refused by the validator.
 */
export function handleTaskPool(ctx: TaskPoolContext) {
  function pooledTask(taskId: string): { task: TaskRef; pool: Role } {
    const task = ctx.tasks.find((t) => t.id === taskId);
    if (!task) throw conflict({ code: 'taskNotHere', taskId });
    const pool = taskPool[task.kind];
    if (!pool) throw conflict({ code: 'taskPersonal', kind: task.kind });
    if (task.status !== 'open') throw conflict({ code: 'taskNotOpen', status: task.status });
    const blocked = ctx.blocked(task);
    if (blocked) throw conflict(blocked);
    return { task, pool };
  }

  async function handOver(task: TaskRef, assignee: string | null, by: string) {
    task.assignee = assignee;
    task.assignments = (task.assignments ?? 0) + 1;
    await ctx.assign({ task, pool: taskPool[task.kind]!, assignee, by, seq: task.assignments, at: ctx.now() });
  }

  setUpdateHandler(
    claimTaskUpdate,
    async ({ actor, taskId }) => {
      await handOver(
        ctx.tasks.find((t) => t.id === taskId)!,
        actor.userId,
        actor.userId,
      );
      return { assignee: actor.userId };
    },
    {
      validator: ({ actor, taskId, from }) => {
        const { task, pool } = pooledTask(taskId);
        if (!hasRole(actor, pool)) throw forbidden({ code: 'notInPool', role: pool });
        if (task.assignee === actor.userId) throw conflict({ code: 'taskAlreadyYours' });
        if (task.assignee !== from) throw conflict({ code: 'taskChangedHands' });
        if (task.assignee !== null && !handoversLeft(task)) throw conflict({ code: 'handoversExhausted', max: maxHandovers });
      },
    },
  );

  setUpdateHandler(
    releaseTaskUpdate,
    async ({ actor, taskId }) => {
      await handOver(
        ctx.tasks.find((t) => t.id === taskId)!,
        null,
        actor.userId,
      );
      return { assignee: null };
    },
    {
      validator: ({ actor, taskId }) => {
        const { task } = pooledTask(taskId);
        if (task.assignee !== actor.userId) throw forbidden({ code: 'notHolder' });
        if (!handoversLeft(task)) throw conflict({ code: 'handoversExhausted', max: maxHandovers });
      },
    },
  );
}

/** A hand-over as a case records it: on the task and the case's timeline, and a released task announced to its pool. */
export const recordHandover =
  (caseId: string): TaskPoolContext['assign'] =>
  async ({ task, pool, assignee, by, seq, at }) => {
    await acts.assignTask({ taskId: task.id, proposalId: caseId, assignee, by, seq, at });
    if (assignee === null) {
      await acts.notify({ key: `${task.id}.released.${seq}`, event: 'taskReleased', proposalId: caseId, taskId: task.id, to: { roles: [pool] } });
    }
  };
