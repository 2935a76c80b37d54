import type { TaskDoc, Store } from '.';
import { byId } from './byId';

/**
 * Open tasks nobody holds, of the given kinds (and of one case, if named), soonest due
 * first: the pool the inbox page and `GET /api/tasks?assignee=pool` both show. One query
 * a kind on `kind` and `status` (indexed equalities FerretDB v1 pushes down), the unheld
 * ones picked here: it hands PostgreSQL neither `$in` nor a `null`, so one query with
 * both read every open task there is (600 ms at 5,000 open tasks, against 6 ms a kind).
 */
export async function openPoolTasks(store: Store, kinds: readonly string[], only: { proposalId?: string } = {}): Promise<TaskDoc[]> {
  const byKind = await Promise.all(kinds.map((kind) => store.tasks.find({ kind, status: 'open', ...only }).lean()));
  return byKind
    .flat()
    .filter((t) => t.assignee === null || t.assignee === undefined)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || byId(a, b));
}
