import { patched } from '@temporalio/workflow';
import { hasRole } from '../domain/people';
import type { Reason } from '../domain/refusals';
import { taskPool } from '../domain/taskPool';
import type { TaskRef } from '../domain/lifecycleState';
import { acts } from './activities';
import { conflict, forbidden, reassignTaskUpdate, setUpdateHandler } from './messages';

/** How often the administrator's role changes may move one task: each move is a step in the case's history. */
export const maxReassignments = 40;

/** How often a move looks for a successor when moves that came together keep seating the one it found. */
const maxLooks = 10;

/** What moving a task from a holder who lost its role needs from the workflow around it. */
export interface TaskReassignmentContext {
  tasks: TaskRef[];
  now(): string;
  /** Who holds the task's role now, other than the one leaving and those `seated` beside the task; null if nobody does. */
  successor(task: TaskRef, leaving: string, seated: string[] | undefined): Promise<string | null>;
  /** Who sits beside a member's task (its round), none of whom may take it over: as it stands now. */
  seated?(task: TaskRef): string[] | undefined;
  /** Records the new holder in the read model and the timeline, and tells them (a pooled task: its pool). */
  assign(change: { task: TaskRef; assignee: string | null; from: string; reason: Reason; by: string; seq: number; at: string }): Promise<void>;
  /**
   * A personal task nobody can take over, where the case may go on without it (a report round
   * seated while the council had four members): `applies` says whether it may, `close` closes
   * it. Where it may not, or there is no such rule, the move is refused (noSuccessor).
   */
  withoutSuccessor?: {
    applies(task: TaskRef): boolean;
    close(change: { task: TaskRef; from: string; reason: Reason; at: string }): Promise<void>;
  };
}

/** A move as a case records it: on the task and the case's timeline, and the new holder told (a pooled task: its pool). */
export const recordReassignment =
  (caseId: string): TaskReassignmentContext['assign'] =>
  async ({ task, assignee, from, reason, by, seq, at }) => {
    await acts.assignTask({ taskId: task.id, proposalId: caseId, assignee, by, seq, at, from, reason });
    const to = assignee === null ? { roles: [taskPool[task.kind]!] } : { users: [assignee] };
    await acts.notify({ key: `${task.id}.reassigned.${seq}`, event: assignee === null ? 'taskReleased' : 'taskReassigned', proposalId: caseId, taskId: task.id, to });
  };

/**
 * A task follows its role, not the person it was given to: when the administrator
 * takes the role from its holder (or deactivates them), the API asks each of their
 * open tasks to move. A personal task goes to the role's holder now (the new mayor,
 * chair or department head; for a vote, the member who replaced them), a pooled
 * task back to its pool.
 */
export function handleTaskReassignment(ctx: TaskReassignmentContext) {
  /** Tasks whose successor is being looked up, so a second request for one waits its turn. */
  const moving = new Set<string>();

  setUpdateHandler(
    reassignTaskUpdate,
    async ({ actor, taskId, from, reason }) => {
      const task = ctx.tasks.find((t) => t.id === taskId)!;
      moving.add(taskId);
      try {
        const lookUp = () => ctx.successor(task, from, ctx.seated?.(task));
        let successor = taskPool[task.kind] ? null : await lookUp();
        // Members who leave a round at once are looked up side by side, and each may be given the one who replaced
        // the first: a later move looks again once an earlier has seated them, as often as moves came together (a
        // council's few seats; bounded, as the history is). (Patched: a history that gave one member two seats replays as it ran.)
        const seatedMeanwhile = () => successor !== null && !!ctx.seated?.(task)?.includes(successor);
        for (let look = 1; look < maxLooks && seatedMeanwhile() && patched('successor-seated-meanwhile'); look++) successor = await lookUp();
        if (seatedMeanwhile() && patched('successor-seated-meanwhile')) throw conflict({ code: 'taskChangedHands' });
        const nobody = successor === null && !taskPool[task.kind];
        if (nobody && !ctx.withoutSuccessor?.applies(task)) throw conflict({ code: 'noSuccessor', role: task.role, ...(task.department ? { department: task.department } : {}) });
        // Answered or cancelled while the successor was looked up: nothing left to move.
        if (task.status !== 'open' || task.assignee !== from) return { assignee: task.assignee };
        if (nobody) {
          await ctx.withoutSuccessor!.close({ task, from, reason, at: ctx.now() });
          return { assignee: null };
        }
        task.assignee = successor;
        task.assignments = (task.assignments ?? 0) + 1;
        task.reassignments = (task.reassignments ?? 0) + 1;
        await ctx.assign({ task, assignee: successor, from, reason, by: actor.userId, seq: task.assignments, at: ctx.now() });
        return { assignee: successor };
      } finally {
        moving.delete(taskId);
      }
    },
    {
      validator: ({ actor, taskId, from }) => {
        if (!hasRole(actor, 'administrator')) throw forbidden({ code: 'needsRole', roles: ['administrator'] });
        const task = ctx.tasks.find((t) => t.id === taskId);
        if (!task) throw conflict({ code: 'taskNotHere', taskId });
        if (task.status !== 'open') throw conflict({ code: 'taskNotOpen', status: task.status });
        if (task.assignee !== from || moving.has(taskId)) throw conflict({ code: 'taskChangedHands' });
        if ((task.reassignments ?? 0) >= maxReassignments) throw conflict({ code: 'reassignmentsExhausted', max: maxReassignments });
      },
    },
  );
}
