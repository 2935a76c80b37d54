import { randomUUID } from 'node:crypto';
import type { Store } from '.';
import { isDuplicateKey } from './serialised';

/** The sets of documents whose changes are marked. */
export type MarkedSet = 'commitments' | 'accessLogDays';

/**
 * Marks that `set` changed, after the change is written: a reader that reads the mark
 * before the documents, and keeps what it read under that mark, reads them again once
 * the mark is another. A new random token each time, so of two marks at once (FerretDB
 * v1 may apply concurrent updates of one document in either order, or lose one) the
 * one that stands is still new to every reader. Written again by a retried write.
 */
export async function markChanged(store: Store, set: MarkedSet): Promise<void> {
  const mark = { $set: { token: randomUUID(), at: new Date() } };
  try {
    await store.marks.updateOne({ _id: set }, mark, { upsert: true });
  } catch (err) {
    // Two first marks at once: one inserted, the other now updates it.
    if (!isDuplicateKey(err)) throw err;
    await store.marks.updateOne({ _id: set }, mark);
  }
}

/** The current mark of `set`; `unmarked` before its first change. */
export async function markOf(store: Store, set: MarkedSet): Promise<string> {
  return (await store.marks.findById(set, { token: 1 }).lean())?.token ?? 'unmarked';
}
