import type { Store } from '.';

/**
 * What the API keeps only for a moment's work, at most a day: an Idempotency-Key's answer
 * (for a retry of its request), and a revision's draft that never reached its workflow (an
 * outage's 5xx; one that does is adopted or refused within seconds).
 */
export const shortLivedMs = 24 * 60 * 60_000;

/** Deletes what has outlived `shortLivedMs`; done twice, it deletes nothing more. */
export async function purgeShortLived(store: Store, now = Date.now()): Promise<void> {
  const before = new Date(now - shortLivedMs);
  await Promise.all([store.idempotency.deleteMany({ createdAt: { $lt: before } }), store.drafts.deleteMany({ createdAt: { $lt: before } })]);
}
