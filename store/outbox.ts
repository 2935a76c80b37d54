import { randomUUID } from 'node:crypto';
import { afterFailure, endedStatuses, outboxStatuses, retryableStatuses, type DeliverySettings, type OutboxStatus } from '../domain/outbox';
import type { OutboxDoc, Store } from '.';
import type { Reason } from '../domain/refusals';
import { inBatches } from './inBatches';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** A claim this process holds on one entry, and the entry as it was read after claiming. */
export interface Claim {
  entryId: string;
  n: number;
  leaseUntil: Date;
  entry: OutboxDoc | null;
}

/** Why a manual retry was not made. */
export type RetryRefusal = 'notFound' | 'notRetryable' | 'busy';

/**
 * The outbox under concurrent deliverers (several worker processes) and operators.
 *
 * Every change to an entry after it is written is made under a claim: a document
 * `<entry>#<n>` in `outboxClaims`, where n is one more than the entry's newest claim.
 * An insert under a unique `_id` is atomic on MongoDB and FerretDB v1 alike, so of
 * two processes claiming the same entry only one succeeds; a conditional update of
 * the entry itself would not do (on FerretDB v1 two concurrent ones can both apply,
 * see the ledger). A new claim is only taken when the newest one is released or its
 * lease has run out, so a deliverer that died mid-send is replaced after the lease.
 * After claiming, the entry is read again: whatever a former holder wrote is seen.
 */
export function outbox(store: Store, holder: string = randomUUID()) {
  async function claim(entryId: string, leaseMs: number, now = new Date()): Promise<Claim | undefined> {
    const newest = await store.outboxClaims.findOne({ entryId }, { n: 1, released: 1, leaseUntil: 1 }).sort({ n: -1 }).lean();
    if (newest && !newest.released && newest.leaseUntil.getTime() > now.getTime()) return undefined;
    const n = (newest?.n ?? 0) + 1;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      await store.outboxClaims.create({ _id: `${entryId}#${n}`, entryId, n, holder, leaseUntil, released: false, at: now });
    } catch (err) {
      if (isDuplicateKey(err)) return undefined; // another process took this claim
      throw err;
    }
    return { entryId, n, leaseUntil, entry: await store.outbox.findById(entryId).lean() };
  }

  async function release(c: Claim) {
    await store.outboxClaims.updateOne({ _id: `${c.entryId}#${c.n}` }, { $set: { released: true } });
  }

  /**
   * Entries whose (next) attempt is due, oldest first; entries from before the delivery loop
   * have no date and are due; up to `limit` of each channel, as each is delivered in its own
   * lane. Read by one indexed equality query per status: the sent and
   * skipped entries, many more (kept for the retention period), are never read. With `$or`,
   * the embedded database read every entry there was on each poll, and every other read
   * waited behind it.
   */
  async function due(now: Date, limit: number): Promise<Record<OutboxDoc['channel'], { _id: string }[]>> {
    const fields = { _id: 1, channel: 1, status: 1, nextAttemptAt: 1, createdAt: 1 };
    const [pending, sending] = await Promise.all([store.outbox.find({ status: 'pending' }, fields).lean(), store.outbox.find({ status: 'sending' }, fields).lean()]);
    const at = (e: { nextAttemptAt?: Date }) => e.nextAttemptAt?.getTime() ?? -Infinity;
    const ordered = [...pending, ...sending]
      .filter((e) => (e.nextAttemptAt ? e.nextAttemptAt <= now : e.status === 'pending'))
      .sort((a, b) => at(a) - at(b) || a.createdAt.getTime() - b.createdAt.getTime());
    const of = (channel: OutboxDoc['channel']) => ordered.filter((e) => e.channel === channel).slice(0, limit);
    return { email: of('email'), webhook: of('webhook') };
  }

  /** The claimed entry is being sent; should this process die, it is due again when the lease runs out. */
  async function markSending(c: Claim) {
    await store.outbox.updateOne({ _id: c.entryId }, { $set: { status: 'sending', nextAttemptAt: c.leaseUntil, claims: c.n } });
  }

  async function markSent(c: Claim, at = new Date()) {
    await store.outbox.updateOne({ _id: c.entryId }, { $set: { status: 'sent', sentAt: at, claims: c.n }, $inc: { attempts: 1 }, $unset: { nextAttemptAt: 1 } });
  }

  async function markSkipped(c: Claim, reason: Reason) {
    await store.outbox.updateOne({ _id: c.entryId }, { $set: { status: 'skipped', skipReason: reason, claims: c.n }, $unset: { nextAttemptAt: 1 } });
  }

  async function markFailed(c: Claim, settings: DeliverySettings, error: string, now = new Date()) {
    const entry = c.entry!;
    const failures = (entry.failures ?? 0) + 1;
    const next = afterFailure(settings, failures, entry.retryFrom ?? entry.createdAt, now);
    await store.outbox.updateOne(
      { _id: c.entryId },
      next.status === 'failed'
        ? { $set: { status: 'failed', failures, lastError: error, failedAt: now, claims: c.n }, $inc: { attempts: 1 }, $unset: { nextAttemptAt: 1 } }
        : { $set: { status: 'pending', failures, lastError: error, nextAttemptAt: next.nextAttemptAt, claims: c.n }, $inc: { attempts: 1 } },
    );
  }

  /** "Retry now": a pending or failed entry becomes due at once, with a fresh give-up limit. */
  async function retryNow(entryId: string, leaseMs: number, now = new Date()): Promise<OutboxDoc | RetryRefusal> {
    const existing = await store.outbox.findById(entryId, { _id: 1 }).lean();
    if (!existing) return 'notFound';
    const c = await claim(entryId, leaseMs, now);
    if (!c) return 'busy';
    try {
      if (!c.entry || !retryableStatuses.includes(c.entry.status)) return 'notRetryable';
      await store.outbox.updateOne({ _id: entryId }, { $set: { status: 'pending', nextAttemptAt: now, retryFrom: now, failures: 0, claims: c.n } });
      // Gone if the purge took it (failed past the retention) between the claim and the retry.
      return (await store.outbox.findById(entryId).lean()) ?? 'notFound';
    } finally {
      await release(c);
    }
  }

  /** What operators and the secretariat see: newest first, optionally of one status, with counts per status. */
  async function list(q: { status?: OutboxStatus; page: number; pageSize: number }) {
    const filter = q.status ? { status: q.status } : {};
    const [items, total, counts] = await Promise.all([
      store.outbox
        .find(filter)
        .sort({ createdAt: -1, _id: 1 })
        .skip((q.page - 1) * q.pageSize)
        .limit(q.pageSize)
        .lean(),
      store.outbox.countDocuments(filter),
      Promise.all(outboxStatuses.map(async (s) => [s, await store.outbox.countDocuments({ status: s })] as const)),
    ]);
    return { items, total, counts: Object.fromEntries(counts) as Record<OutboxStatus, number> };
  }

  /**
   * Deletes the entries that ended (sent, skipped, or recorded without a mailer) or were
   * given up (failed) before `before`, counted from when each last moved (written, retried
   * by an operator, sent, given up), each after its claims, a few at a time; answers how
   * many. A failed entry waits that long for an operator to retry it, and no longer: it
   * holds an address and a body. Read by one equality a status, as `due` is. An ended
   * entry is never claimed again, and a failed one only by an operator's retry, which
   * moves it: the entry is deleted only as it was read, then its claims. A claim left by
   * a purge stopped between the two belongs to no entry, and the next purge does not
   * find it; it holds nothing but the entry's id.
   */
  async function purge(before: Date): Promise<number> {
    const fields = { _id: 1, status: 1, createdAt: 1, retryFrom: 1, sentAt: 1, failedAt: 1 };
    const ended = await Promise.all([...endedStatuses, 'failed'].map((status) => store.outbox.find({ status, createdAt: { $lt: before } }, fields).lean()));
    const lastMoved = (e: Pick<OutboxDoc, 'createdAt' | 'retryFrom' | 'sentAt' | 'failedAt'>) =>
      Math.max(e.createdAt.getTime(), e.retryFrom?.getTime() ?? 0, e.sentAt?.getTime() ?? 0, e.failedAt?.getTime() ?? 0);
    const expired = ended.flat().filter((e) => lastMoved(e) < before.getTime());
    let deleted = 0;
    await inBatches(expired, 8, async (e) => {
      // The entry first, as read: a failed one an operator retried meanwhile has moved, and stays with its claims.
      const gone = await store.outbox.deleteOne({ _id: e._id, status: e.status, retryFrom: e.retryFrom ?? { $exists: false } });
      if (gone.deletedCount === 0) return;
      deleted += 1;
      await store.outboxClaims.deleteMany({ entryId: e._id });
    });
    return deleted;
  }

  return { claim, release, due, markSending, markSent, markSkipped, markFailed, retryNow, list, purge };
}
export type Outbox = ReturnType<typeof outbox>;
