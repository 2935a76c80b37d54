import { randomUUID } from 'node:crypto';
import type { FilterQuery, Model, UpdateQuery } from 'mongoose';
import type { Store } from '.';

export const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock not had within the wait: held by a slow writer, or left by one the database failed (its lease not yet passed). */
export class LockNotTaken extends Error {
  constructor(readonly key: string) {
    super(`the lock ${key} was not had in time`);
    this.name = 'LockNotTaken';
  }
}

/** How long a caller waits for a lock before giving up: a request is answered 503 then, an activity tried again. */
const lockWaitMs = 10_000;
/** The longest any process waits for a database call once sent (the worker's; the API's are shorter). */
export const longestCallMs = 30_000;
/** How long a lock stands before it is taken for a crashed holder's: past the holder's last call. */
const lockLeaseMs = longestCallMs + 15_000;

/**
 * Runs `fn` while holding the lock named `key`: an insert under the unique `_id` of
 * `locks`, the one write FerretDB v1 executes atomically. There an update is a read
 * and a write of the whole document: two concurrent conditional updates both pass
 * their condition, and of two updates to different fields one is lost (even `$inc`).
 * A lock older than `leaseMs` is taken to belong to a crashed process and is broken.
 * A caller waits at most `waitMs` for it (then `LockNotTaken`). A release the database
 * failed is tried again beside the caller, so one blip does not keep the lock for its
 * lease; but when `fn` ends on a call the database took and never answered, the lock is
 * kept for its lease, since that write may still land. The lease is longer than the
 * longest a process waits for one call (the worker's 30 s), so a holder's one slow write
 * is not overtaken; a holder making several slow calls can still outlast it.
 */
export async function serialised<T>(store: Store, key: string, fn: () => Promise<T>, leaseMs = lockLeaseMs, waitMs = lockWaitMs): Promise<T> {
  const token = randomUUID();
  const until = Date.now() + waitMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    try {
      await store.locks.create({ _id: key, token, at: new Date() });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) {
        // Sent and not answered, it may land once the database answers again: swept away until the lease would have freed it.
        if (unanswered(err)) void releaseLater(store, key, token, leaseMs, { sweep: true });
        throw err;
      }
      const held = await store.locks.findById(key).lean();
      if (held && Date.now() - held.at.getTime() > leaseMs) await store.locks.deleteOne({ _id: key, token: held.token });
      if (Date.now() > until) throw new LockNotTaken(key);
      await pause(wait * (0.5 + Math.random()));
    }
  }
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // A write the database took and never answered may still land: the lock stands for its lease, so it cannot land over a later holder's.
    if (!unanswered(err)) await release(store, key, token, leaseMs);
    throw err;
  }
  await release(store, key, token, leaseMs);
  return result;
}

/** A call the database may have taken without answering (its socket timed out), as against one refused or never sent. */
const unanswered = (err: unknown) => err instanceof Error && /^Mongo(Network|Operation)TimeoutError$/.test(err.name);

/** Lets the lock go; a release the database failed is tried again beside the caller. */
const release = (store: Store, key: string, token: string, leaseMs: number) =>
  store.locks.deleteOne({ _id: key, token }).then(
    () => undefined,
    () => void releaseLater(store, key, token, leaseMs),
  );

/**
 * Tries a failed release again each second until it takes, or until the lease has passed
 * and others may break the lock anyway. `sweep`: goes on after a delete that found nothing,
 * for a lock whose insert may land late.
 */
function releaseLater(store: Store, key: string, token: string, leaseMs: number, { sweep = false } = {}): Promise<void> {
  return eachSecondUntil(Date.now() + leaseMs, async () => {
    const deleted = await store.locks.deleteOne({ _id: key, token }).then(
      (r) => r.deletedCount,
      () => -1,
    );
    return deleted > 0 || (deleted === 0 && !sweep);
  });
}

/**
 * Tries `attempt` again each second, beside its caller, until it answers that it took or
 * `until` has passed: a write the database failed (a release, a claim let go) that expires
 * by itself anyway. Its timer holds no process open that is ending.
 */
export async function eachSecondUntil(until: number, attempt: () => Promise<boolean>): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000).unref());
    // Looked at after the wait: a try past `until` may meet whoever took over then.
    if (Date.now() >= until || (await attempt())) return;
  }
}

/** The lock of one document: every writer of it takes the same. */
export const lockKey = (model: Model<never> | Model<any>, id: string | number) => `${model.collection.collectionName}:${id}`; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A conditional update of one document, atomic on MongoDB and FerretDB alike: every
 * writer of the document goes through its lock. Answers whether it changed the document.
 */
export async function updateOneSerialised<T extends { _id: string | number }>(
  store: Store,
  model: Model<T>,
  filter: FilterQuery<T> & { _id: T['_id'] },
  update: UpdateQuery<T>,
  options: { upsert?: boolean } = {},
): Promise<boolean> {
  return serialised(store, lockKey(model, filter._id as T['_id']), async () => {
    const r = await model.updateOne(filter, update, options);
    return r.modifiedCount + r.upsertedCount > 0;
  });
}

/**
 * Writes a document once under its key (`$setOnInsert` with upsert): of two concurrent
 * writers one inserts, and the other's duplicate key means it is already there.
 */
export async function insertOnce<T extends { _id: string | number }>(model: Model<T>, _id: T['_id'], fields: UpdateQuery<T>['$setOnInsert']): Promise<void> {
  try {
    await model.updateOne({ _id }, { $setOnInsert: fields } as UpdateQuery<T>, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
