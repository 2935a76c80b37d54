import type { Role } from '../domain/people';
import type { Reason } from '../domain/refusals';
import type { TaskKind } from '../domain/tasks';
import type { Store } from '../store';
import { insertOnce, lockKey, serialised, updateOneSerialised } from '../store/serialised';
import type { NotifyRequest } from './notifications';
import type { timelineActivities } from './timeline';

type Timeline = ReturnType<typeof timelineActivities>;

export interface NewTask {
  id: string;
  proposalId: string;
  kind: TaskKind;
  title: string;
  assignee: string;
  role: Role;
  department?: string;
  dueAt: string;
  round?: number;
  at: string;
  /** Set by a workflow other than the proposal's, so the API sends the answer there. */
  workflowId?: string;
}

export function taskActivities(store: Store, timeline: Timeline, notify: (n: NotifyRequest) => Promise<void>) {
  async function openTask(t: NewTask) {
    const { id, assignee, proposalId } = t;
    await insertOnce(store.tasks, t.id, {
      ...(t.workflowId ? { workflowId: t.workflowId } : {}),
      proposalId: t.proposalId,
      kind: t.kind,
      title: t.title,
      assignee: t.assignee,
      role: t.role,
      ...(t.department ? { department: t.department } : {}),
      round: t.round,
      dueAt: new Date(t.dueAt),
      status: 'open',
      overdue: false,
      openedAt: new Date(t.at),
    });
    await timeline.recordEvent({
      key: `${t.id}.opened`,
      proposalId: t.proposalId,
      type: 'taskOpened',
      at: t.at,
      details: { taskId: t.id, kind: t.kind, assignee: t.assignee, dueAt: t.dueAt },
    });
    // The assignee's notice is recorded in the same step, after the task it names exists.
    // One step, so the workflow issues nothing between the task appearing and the
    // notice: a person who answers at once never meets the workflow mid-way (an Update
    // arriving with an activity's completion while the next command is being issued
    // has been seen to replay in another order).
    await notify({ key: `${id}.created`, event: 'taskCreated', proposalId, taskId: id, to: { users: [assignee] } });
  }

  return {
    openTask,

    /** The tasks one step opens together (a council's votes, a contract's signatures), written in one step and in order. */
    async openTasks(ts: NewTask[]) {
      for (const t of ts) await openTask(t);
    },

    /** Only an open task can be completed, so a retry never rewrites who did it; whoever did it holds it (a task that closes by itself, whoever acted). */
    async completeTask(c: { taskId: string; proposalId: string; by: string; at: string; input: unknown }) {
      await updateOneSerialised(
        store,
        store.tasks,
        { _id: c.taskId, status: 'open' },
        { $set: { status: 'completed', assignee: c.by, completedBy: c.by, completedAt: new Date(c.at), input: c.input } },
      );
      await timeline.recordEvent({
        key: `${c.taskId}.completed`,
        proposalId: c.proposalId,
        type: 'taskCompleted',
        at: c.at,
        by: c.by,
        details: { taskId: c.taskId, input: c.input },
      });
    },

    /**
     * Claim, release, or a reassignment because the holder lost the task's role (`reason`,
     * `from`). Applied only over an older assignment, so a retried or overtaken call never
     * hands the task back to an earlier holder.
     */
    async assignTask(a: { taskId: string; proposalId: string; assignee: string | null; by: string; seq: number; at: string; from?: string; reason?: Reason }) {
      await updateOneSerialised(
        store,
        store.tasks,
        { _id: a.taskId, $or: [{ assignments: { $lt: a.seq } }, { assignments: { $exists: false } }] },
        { $set: { assignee: a.assignee, assignments: a.seq } },
      );
      await timeline.recordEvent({
        key: `${a.taskId}.assigned.${a.seq}`,
        proposalId: a.proposalId,
        type: a.reason ? 'taskReassigned' : a.assignee === null ? 'taskReleased' : 'taskClaimed',
        at: a.at,
        by: a.by,
        details: { taskId: a.taskId, assignee: a.assignee, ...(a.reason ? { from: a.from, reason: a.reason } : {}) },
      });
    },

    async cancelTasks(c: { taskIds: string[]; reason: Reason; at: string }) {
      for (const taskId of c.taskIds) {
        await updateOneSerialised(store, store.tasks, { _id: taskId, status: 'open' }, { $set: { status: 'cancelled', cancelReason: c.reason, completedAt: new Date(c.at) } });
      }
    },

    /** Only an open task is overdue: one completed, cancelled or handed on meanwhile stays as it is. */
    async markTaskOverdue(m: { taskId: string; at: string }) {
      const task = await serialised(store, lockKey(store.tasks, m.taskId), () =>
        store.tasks.findOneAndUpdate({ _id: m.taskId, status: 'open' }, { $set: { overdue: true } }, { new: true }).lean(),
      );
      if (task?.status === 'open') {
        await timeline.recordEvent({
          key: `${m.taskId}.overdue`,
          proposalId: task.proposalId,
          type: 'taskOverdue',
          at: m.at,
          details: { taskId: m.taskId, assignee: task.assignee },
        });
      }
    },
  };
}
