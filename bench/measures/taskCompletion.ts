import { housingFirst } from '../../test/fixtures/proposals';
import { actorOfUser } from '../../api/auth';
import { workflowIdFor } from '../../workflows/input';
import { completeTaskUpdate } from '../../workflows/messages';
import type { TaskDoc } from '../../store';
import { apiAs, inParallel, interleaved, type ApiClient, type Measure } from '../measure';
import { openTasks } from '../cases';
import { summarize } from '../stats';

/**
 * A council member's vote through `POST /api/tasks/:id/complete` against a raw
 * `executeUpdate` of the same Update: each pair is two votes on one proposal, so both
 * meet the same workflow in the same stage (which of the two comes second alternates).
 */
export const taskCompletion: Measure = {
  name: 'complete',
  async run(stack) {
    const n = Number(process.env.BENCH_COMPLETIONS ?? 100);
    const warmUp = 3;
    const sara = await apiAs(stack, 'sara.secretariat');
    const ids: string[] = [];
    await inParallel(n + warmUp, 4, async () => {
      const id = await sara.create(housingFirst);
      await sara.post(`/api/proposals/${id}/submit`);
      ids.push(id);
    });
    const votes = new Map<string, TaskDoc[]>();
    for (const id of ids) votes.set(id, await openTasks(stack.store, id, 'councilVote', 2));
    const users = new Map((await stack.store.users.find().lean()).map((u) => [u._id, u]));
    // Tokens signed before the clock runs.
    const members = new Map<string, ApiClient>();
    for (const task of [...votes.values()].flat()) if (!members.has(task.assignee!)) members.set(task.assignee!, await apiAs(stack, task.assignee!));
    const samples = await interleaved(
      { n, warmUp },
      (i) => {
        const task = votes.get(ids[i])![0];
        return members.get(task.assignee!)!.post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, { decision: 'approve' });
      },
      (i) => {
        const task = votes.get(ids[i])![1];
        const actor = actorOfUser(users.get(task.assignee!)!);
        return stack.client.workflow
          .getHandle(workflowIdFor(task.proposalId))
          .executeUpdate(completeTaskUpdate, { args: [{ actor, taskId: task._id, input: { decision: 'approve' } }] });
      },
    );
    return [
      {
        measure: 'a council vote via `POST /api/tasks/:id/complete` vs raw `executeUpdate`',
        summary: summarize(samples.subject),
        floor: summarize(samples.floor),
        target: { kind: 'ratio', max: 1.2 },
      },
    ];
  },
};
