import type { TaskDoc, Store } from '.';
import { byId } from './byId';

/**
 * Open tasks nobody holds, of the given kinds, soonest due first, at most `limit`. One
 * query a kind on `kind` and `status` (indexed equalities FerretDB v1 pushes down),
 * the unheld ones picked here: it hands PostgreSQL neither `$in` nor a `null`, so one
 * query with both read every open task there is.
 */
export async function openPoolTasks(store: Store, kinds: readonly string[], limit: number): Promise<TaskDoc[]> {
  const byKind = await Promise.all(kinds.map((kind) => store.tasks.find({ kind, status: 'open' }).lean()));
  return byKind
    .flat()
    .filter((t) => t.assignee === null || t.assignee === undefined)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || byId(a, b))
    .slice(0, limit);
}
