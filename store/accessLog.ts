import { randomUUID } from 'node:crypto';
import type { FilterQuery } from 'mongoose';
import type { AccessLogDayDoc, AccessLogDoc, Store } from '.';
import { byId } from './byId';
import { insertOnce } from './serialised';
import { markChanged, markOf } from './changeMarks';

/** One read as it is recorded. */
export type Read = Omit<AccessLogDoc, '_id' | 'at' | 'day'>;

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

/** The day (UTC) an entry is filed under. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** A day's count is kept once no read can still be recorded under it: the day over, and a few minutes for a slow write. */
const countKeptAfterMs = 24 * 60 * 60_000 + 5 * 60_000;
/** The `listing` count of entries recorded before entries carried their day. */
const undatedListing = 'accessLogUndated';
const undated: FilterQuery<AccessLogDoc> = { day: { $exists: false } };

/** The days this process has filed an entry under: the day's document is written once a process. */
const filedHere = new WeakMap<Store, Set<string>>();
/**
 * The days as this process last read them, under the mark they had: read again once the
 * mark is another. They change a few times a day (a new day, a day's count kept, a purge),
 * and FerretDB decodes each of a year's 365 documents on every read (about 20 ms).
 */
const keptDays = new WeakMap<Store, { mark: string; days: AccessLogDayDoc[] }>();

const newestFirst = (a: AccessLogDoc, b: AccessLogDoc) => b.at.getTime() - a.at.getTime() || byId(b, a);

/**
 * The access log: who read which personal data, when, and through which route. An
 * entry is an insert under a fresh id, so concurrent reads are each recorded (FerretDB
 * v1 executes an insert atomically). Entries older than the retention period are
 * deleted by `purge`; FerretDB v1 has no TTL index to do it.
 *
 * Each entry is filed under its day, and each day has a document (`accessLogDays`) with
 * its count once the day is over. FerretDB v1 reads every document a filter's equalities
 * match, and counts by reading them, so the whole log newest first is read day by day: a
 * page reads the days it shows, and the total adds up the days' counts. A person's or a
 * case's reads are found by their own indexed equality, as before.
 */
export function accessLog(store: Store) {
  return {
    async record(read: Read, at = new Date()): Promise<void> {
      const day = dayOf(at);
      // The day's document first: a lister that finds an entry finds its day.
      const filed = filedHere.get(store) ?? filedHere.set(store, new Set()).get(store)!;
      if (!filed.has(day)) {
        await insertOnce(store.accessLogDays, day, {});
        await markChanged(store, 'accessLogDays');
        filed.add(day);
      }
      await store.accessLog.create({ _id: randomUUID(), at, day, ...read });
    },

    /** Newest first. */
    async list(q: AccessLogQuery) {
      if (q.user || q.case) return bySelection(q);
      return byDay(q);
    },

    /**
     * Deletes the entries recorded before `before`; answers how many. Whole days by their
     * day, the day `before` falls in by time; then what the days' documents do not lead
     * to, which costs a read of the whole log (as every purge did before the log was kept
     * by day): entries without a day, and entries under a day already deleted.
     */
    async purge(before: Date): Promise<number> {
      const cutoff = dayOf(before);
      let deleted = 0;
      const expired = (await store.accessLogDays.find({}, { _id: 1 }).lean()).filter((d) => d._id < cutoff).map((d) => d._id);
      // A day's entries before its document: the document stays the purge's to-do until they are gone.
      for (const day of expired) {
        deleted += (await store.accessLog.deleteMany({ day })).deletedCount;
        await store.accessLogDays.deleteOne({ _id: day });
      }
      const trimmed = (await store.accessLog.deleteMany({ day: cutoff, at: { $lt: before } })).deletedCount;
      deleted += trimmed;
      // Its kept count goes, and a lister that counted it before may not keep its count now.
      if (trimmed) await store.accessLogDays.updateOne({ _id: cutoff }, { $set: { trimmed: new Date() }, $unset: { total: 1 } });
      if (expired.length || trimmed) await markChanged(store, 'accessLogDays');

      // What the days do not reach, found by reading the whole log (FerretDB cannot ask for a missing
      // field or a range): entries recorded without a day, deleted by time; and entries under a day
      // whose document is gone (a purge stopped between the two, or a process whose clock was behind).
      const strays = await store.accessLog.find({ $or: [undated, { day: { $lt: cutoff } }] }, { at: 1, day: 1 }).lean();
      for (const day of new Set(strays.flatMap((e) => (e.day ? [e.day] : [])))) deleted += (await store.accessLog.deleteMany({ day })).deletedCount;
      const left = strays.filter((e) => !e.day);
      if (left.some((e) => e.at < before)) deleted += (await store.accessLog.deleteMany({ ...undated, at: { $lt: before } })).deletedCount;
      await store.listing.updateOne({ _id: undatedListing }, { $set: { count: left.filter((e) => e.at >= before).length } }, { upsert: true });
      return deleted;
    },
  };

  function atWithin(q: AccessLogQuery): FilterQuery<AccessLogDoc> {
    return q.from || q.to ? { at: { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) } } : {};
  }

  async function bySelection(q: AccessLogQuery) {
    const filter: FilterQuery<AccessLogDoc> = { ...atWithin(q) };
    if (q.user) filter.userId = q.user;
    if (q.case) filter.proposalId = q.case;
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
  }

  /** The whole log (within `from` and `to`), a page read from the days it covers. */
  async function byDay(q: AccessLogQuery) {
    const fromDay = q.from && dayOf(q.from);
    const toDay = q.to && dayOf(q.to);
    const [filed, undatedTotal] = await Promise.all([daysNow(), undatedCount(q)]);
    const days = filed.filter((d) => (!fromDay || d._id >= fromDay) && (!toDay || d._id <= toDay)).sort((a, b) => (a._id < b._id ? 1 : -1));
    /** A day `from` or `to` cuts is read by time as well. */
    const cut = (day: string) => day === fromDay || day === toDay;
    const filterOf = (day: string): FilterQuery<AccessLogDoc> => ({ day, ...(cut(day) ? atWithin(q) : {}) });
    const now = Date.now();
    const first = (q.page - 1) * q.pageSize;
    const last = first + q.pageSize;

    // A day without a kept count is read, not counted: FerretDB reads its entries to count them
    // anyway, and the page may show them (today's, on the first page). Kept only up to the page.
    const read = new Map<string, AccessLogDoc[]>();
    const counts: number[] = [];
    for (let i = 0; i < days.length; i += 8) {
      const upToPage = counts.reduce((sum, n) => sum + n, 0) < last;
      const batch = days.slice(i, i + 8).map(async (d) => {
        const keepable = !cut(d._id) && now >= Date.parse(`${d._id}T00:00:00Z`) + countKeptAfterMs;
        if (keepable && d.total !== undefined) return d.total;
        const entries = await store.accessLog.find(filterOf(d._id)).lean();
        if (upToPage) read.set(d._id, entries);
        // Kept unless a purge trimmed the day meanwhile: its count would be one from before.
        if (keepable) {
          const kept = await store.accessLogDays.updateOne({ _id: d._id, trimmed: d.trimmed ?? { $exists: false } }, { $set: { total: entries.length } });
          if (kept.matchedCount) await markChanged(store, 'accessLogDays');
        }
        return entries.length;
      });
      counts.push(...(await Promise.all(batch)));
    }
    const dated = counts.reduce((sum, n) => sum + n, 0);

    const items: AccessLogDoc[] = [];
    let before = 0;
    for (const [i, d] of days.entries()) {
      const n = counts[i];
      if (before + n > first && before < last) {
        const entries = (read.get(d._id) ?? (await store.accessLog.find(filterOf(d._id)).lean())).sort(newestFirst);
        // A kept count the day no longer matches (an entry filed late, by a clock behind) is taken again next time.
        if (entries.length !== n) {
          await store.accessLogDays.updateOne({ _id: d._id }, { $unset: { total: 1 } });
          await markChanged(store, 'accessLogDays');
        }
        items.push(...entries.slice(Math.max(0, first - before), Math.min(n, last - before)));
      }
      before += n;
      if (before >= last) break;
    }
    if (items.length < q.pageSize && last > dated && undatedTotal > 0) {
      const older = await store.accessLog
        .find({ ...undated, ...atWithin(q) })
        .sort({ at: -1, _id: -1 })
        .skip(Math.max(0, first - dated))
        .limit(q.pageSize - items.length)
        .lean();
      items.push(...older);
    }
    return { total: dated + undatedTotal, items };
  }

  /** The days filed, as last read under the current mark (the mark read first, so what is kept is never older than it). */
  async function daysNow(): Promise<AccessLogDayDoc[]> {
    const mark = await markOf(store, 'accessLogDays');
    const last = keptDays.get(store);
    if (last?.mark === mark) return last.days;
    const days = await store.accessLogDays.find({}).lean();
    keptDays.set(store, { mark, days });
    return days;
  }

  /** The entries recorded before entries carried their day: counted by each purge; read whole when a window asks or no purge has counted yet. */
  async function undatedCount(q: AccessLogQuery): Promise<number> {
    const kept = await store.listing.findById(undatedListing).lean();
    if (kept?.count === 0) return 0;
    if (kept && !q.from && !q.to) return kept.count;
    return store.accessLog.countDocuments({ ...undated, ...atWithin(q) });
  }
}
