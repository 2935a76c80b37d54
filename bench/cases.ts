/** Cases driven through the running stack: waiting for the tasks a workflow opens, and answering them through the API as whoever may. */
import type { Store, TaskDoc } from '../store';
import type { BenchStack } from './stack';
import { apiAs } from './measure';

// Each look is a query of the tasks; a quicker poll would load the database the measures time.
const pollMs = 250;
const waitMs = 120_000;

/** The first `count` open tasks of a kind on a proposal, once its workflow has opened them. */
export async function openTasks(store: Store, proposalId: string, kind: string, count = 1): Promise<TaskDoc[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const tasks = await store.tasks.find({ proposalId, kind, status: 'open' }).sort({ _id: 1 }).lean();
    if (tasks.length >= count) return tasks.slice(0, count);
    if (Date.now() > deadline) throw new Error(`${proposalId}: ${tasks.length} open ${kind} tasks after ${waitMs / 1000} s, waiting for ${count}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Answers the open task of a kind through the API as its holder; a pooled task is claimed first by someone with its role. */
export async function answer(stack: BenchStack, proposalId: string, kind: string, input: unknown) {
  const [task] = await openTasks(stack.store, proposalId, kind);
  let holder = task.assignee;
  if (!holder) {
    const candidate = stack.config.people.users.find((u) => task.role && (u.roles as string[]).includes(task.role) && (!task.department || u.department === task.department));
    if (!candidate) throw new Error(`nobody may take the pooled ${kind} task of ${proposalId}`);
    holder = candidate.id;
    await (await apiAs(stack, holder)).post(`/api/tasks/${encodeURIComponent(task._id)}/claim`, { from: null });
  }
  await (await apiAs(stack, holder)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
}
