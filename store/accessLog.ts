import { randomUUID } from 'node:crypto';
import type { AccessLogDoc, Store } from '.';

/** One read as it is recorded. */
export type Read = Omit<AccessLogDoc, '_id' | 'at'>;

export interface AccessLogQuery {
  /** The reader's user id. */
  user?: string;
  /** The case (proposal id): reads of it, of its tasks, and of its part of the ledger. */
  case?: string;
  /** Both inclusive. */
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/**
 * The access log: who read which personal data, when, and through which route. An
 * entry is an insert under a fresh id, so concurrent reads are each recorded (FerretDB
 * v1 executes an insert atomically). Entries older than the retention period are
 * deleted by `purge`; FerretDB v1 has no TTL index to do it.
 */
export function accessLog(store: Store) {
  return {
    async record(read: Read, at = new Date()): Promise<void> {
      await store.accessLog.create({ _id: randomUUID(), at, ...read });
    },

    /** Newest first. */
    async list(q: AccessLogQuery) {
      const filter: Record<string, unknown> = {};
      if (q.user) filter.userId = q.user;
      if (q.case) filter.proposalId = q.case;
      if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
      const [total, items] = await Promise.all([
        store.accessLog.countDocuments(filter),
        store.accessLog
          .find(filter)
          .sort({ at: -1, _id: -1 })
          .skip((q.page - 1) * q.pageSize)
          .limit(q.pageSize)
          .lean(),
      ]);
      return { total, items };
    },

    /** Deletes the entries recorded before `before`; answers how many. */
    async purge(before: Date): Promise<number> {
      const { deletedCount } = await store.accessLog.deleteMany({ at: { $lt: before } });
      return deletedCount;
    },
  };
}
