import type { Store } from '.';

/** How long an Idempotency-Key's answer is kept, for a retry of its request: a client retries within minutes, not days. */
export const shortLivedMs = 24 * 60 * 60_000;

/**
 * How long a revision's draft that never reached its workflow is kept (an outage's 5xx; one
 * that does is adopted or refused within seconds). A week, not a day: an Update accepted
 * during a long outage still adopts its draft when the workers are back.
 */
export const unadoptedDraftMs = 7 * 24 * 60 * 60_000;

/** Deletes the answers and drafts that have outlived their time; done twice, it deletes nothing more. */
export async function purgeShortLived(store: Store, now = Date.now()): Promise<void> {
  await Promise.all([
    store.idempotency.deleteMany({ createdAt: { $lt: new Date(now - shortLivedMs) } }),
    store.drafts.deleteMany({ createdAt: { $lt: new Date(now - unadoptedDraftMs) } }),
  ]);
}
