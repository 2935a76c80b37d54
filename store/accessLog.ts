import { randomUUID } from 'node:crypto';
import type { FilterQuery } from 'mongoose';
import type { AccessLogDayDoc, AccessLogDoc, Store } from '.';
import { byId } from './byId';
import { insertOnce, updateOneSerialised } from './serialised';
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

/**
 * The hour (UTC, `2026-11-30T14`) an entry is filed under. Entries filed before hours were
 * kept carry their day (`2026-11-30`); both kinds of id sort by time, a day before its hours.
 */
export const filedUnder = (at: Date) => at.toISOString().slice(0, 13);
const hourMs = 60 * 60_000;
const startOf = (filing: string) => Date.parse(filing.length === 10 ? `${filing}T00:00:00Z` : `${filing}:00:00Z`);
const endOf = (filing: string) => startOf(filing) + (filing.length === 10 ? 24 : 1) * hourMs;
/** A filing's count is kept once no read can still be recorded under it: its hour over, and a few minutes for a slow write. */
const countKeptAfterMs = 5 * 60_000;
/** The `listing` count of entries recorded before entries carried their day. */
const undatedListing = 'accessLogUndated';
const undated: FilterQuery<AccessLogDoc> = { day: { $exists: false } };

/** The hours this process has filed an entry under: the hour's document is written once a process. */
const filedHere = new WeakMap<Store, Set<string>>();
/**
 * The filings as this process last read them, under the mark they had: read again once the
 * mark is another (`filingsNow` says when it changes); FerretDB decodes each of a year's
 * 8,760 documents on every read.
 */
const keptDays = new WeakMap<Store, { mark: string; filings: Filing[] }>();
/** A filing's document with the time it covers. */
interface Filing {
  doc: AccessLogDayDoc;
  start: number;
  end: number;
}
const filingOf = (doc: AccessLogDayDoc): Filing => ({ doc, start: startOf(doc._id), end: endOf(doc._id) });
const newestFiling = (a: Filing, b: Filing) => (a.doc._id < b.doc._id ? 1 : -1);
const sum = (counts: readonly (number | undefined)[]) => counts.reduce<number>((total, n) => total + (n ?? 0), 0);

const newestFirst = (a: AccessLogDoc, b: AccessLogDoc) => b.at.getTime() - a.at.getTime() || byId(b, a);

/*
 * A filing's document is written by listers (its kept count) and by the purge (trimmed, the
 * count dropped) at once. On FerretDB v1 an update reads and writes the whole document, so
 * each goes through the document's lock: otherwise a count kept from before a purge could
 * write the trim away (in a probe here, 37 of 300 filings).
 */

/** A filing's count kept, unless a purge trimmed it since it was read; answers whether it was. */
export const keepCount = (store: Store, doc: Pick<AccessLogDayDoc, '_id' | 'trimmed'>, total: number) =>
  updateOneSerialised(store, store.accessLogDays, { _id: doc._id, trimmed: doc.trimmed ?? { $exists: false } }, { $set: { total } });

/** A purge cutting into a filing: its kept count goes first, and a lister that counted it before may not keep its count now. */
export const trimFiling = (store: Store, day: string) => updateOneSerialised(store, store.accessLogDays, { _id: day }, { $set: { trimmed: new Date() }, $unset: { total: 1 } });

/**
 * The access log: who read which personal data, when, and through which route. An
 * entry is an insert under a fresh id, so concurrent reads are each recorded (FerretDB
 * v1 executes an insert atomically). Entries older than the retention period are
 * deleted by `purge`; FerretDB v1 has no TTL index to do it.
 *
 * Each entry is filed under its hour, and each hour has a document (`accessLogDays`, named
 * when entries were filed by day) with its count once the hour is over. FerretDB v1 reads
 * every document a filter's equalities match, and counts by reading them, so the whole log
 * newest first is read hour by hour: a page reads the hours it shows, and the total adds up
 * the hours' counts. By day, the first page read all of today, however busy the day. A
 * person's or a case's reads are found by their own indexed equality, as before.
 */
export function accessLog(store: Store) {
  return {
    async record(read: Read, at = new Date()): Promise<void> {
      const day = filedUnder(at);
      // The hour's document first: a lister that finds an entry finds its filing.
      const filed = filedHere.get(store) ?? filedHere.set(store, new Set()).get(store)!;
      if (!filed.has(day)) {
        await insertOnce(store.accessLogDays, day, {});
        // Listers look for this hour and the one before by id; an hour older than those (a clock behind) is announced.
        if (day < filedUnder(new Date(Date.now() - hourMs))) await markChanged(store, 'accessLogDays');
        filed.add(day);
      }
      await store.accessLog.create({ _id: randomUUID(), at, day, ...read });
    },

    /** Newest first. */
    async list(q: AccessLogQuery) {
      if (q.user || q.case) return bySelection(q);
      return byFiling(q);
    },

    /**
     * Deletes the entries recorded before `before`; answers how many. Whole filings (hours,
     * or days from before) that ended by then, the ones `before` falls in by time; then what
     * the filings' documents do not lead to, which costs a read of the whole log (as every
     * purge did before the log was filed): entries without a filing, and entries under a
     * filing already deleted.
     */
    async purge(before: Date): Promise<number> {
      const cutoff = before.getTime();
      let deleted = 0;
      const filings = (await store.accessLogDays.find({}, { _id: 1 }).lean()).map((d) => d._id);
      const expired = filings.filter((id) => endOf(id) <= cutoff);
      // A filing's entries before its document: the document stays the purge's to-do until they are gone.
      for (const day of expired) {
        deleted += (await store.accessLog.deleteMany({ day })).deletedCount;
        await store.accessLogDays.deleteOne({ _id: day });
      }
      const cutting = filings.filter((id) => startOf(id) < cutoff && cutoff < endOf(id));
      for (const day of cutting) {
        // Its kept count goes first: a purge stopped after the deletion would leave one too high.
        await trimFiling(store, day);
        deleted += (await store.accessLog.deleteMany({ day, at: { $lt: before } })).deletedCount;
      }
      if (expired.length || cutting.length) await markChanged(store, 'accessLogDays');

      // What the filings do not reach, found by reading the whole log (FerretDB cannot ask for a missing
      // field or a range): entries recorded without a filing, deleted by time; and entries under a filing
      // whose document is gone (a purge stopped between the two, or a process whose clock was behind).
      const strays = await store.accessLog.find({ $or: [undated, { day: { $lt: filedUnder(before) } }] }, { at: 1, day: 1 }).lean();
      for (const day of new Set(strays.flatMap((e) => (e.day ? [e.day] : [])))) {
        deleted += (await store.accessLog.deleteMany(endOf(day) <= cutoff ? { day } : { day, at: { $lt: before } })).deletedCount;
      }
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

  /** The whole log (within `from` and `to`), a page read from the filings it covers, newest first. */
  async function byFiling(q: AccessLogQuery) {
    const from = q.from?.getTime();
    const to = q.to?.getTime();
    const [filed, undatedTotal] = await Promise.all([filingsNow(), undatedCount(q)]);
    const days = filed.filter((d) => (from === undefined || d.end > from) && (to === undefined || d.start <= to));
    /** A filing `from` or `to` cuts is read by time as well. */
    const cut = (d: Filing) => (from !== undefined && d.start < from) || (to !== undefined && d.end - 1 > to);
    const filterOf = (d: Filing): FilterQuery<AccessLogDoc> => ({ day: d.doc._id, ...(cut(d) ? atWithin(q) : {}) });
    const now = Date.now();
    const keepable = (d: Filing) => !cut(d) && now >= d.end + countKeptAfterMs;
    const first = (q.page - 1) * q.pageSize;
    const last = first + q.pageSize;

    // A filing without a kept count is read, not counted: FerretDB reads its entries to count them
    // anyway, and the page may show them (this hour's, on the first page). Kept only up to the page.
    const counts = days.map((d) => (keepable(d) ? d.doc.total : undefined));
    const read = new Map<Filing, AccessLogDoc[]>();
    const unread = days.flatMap((_, i) => (counts[i] === undefined ? [i] : []));
    for (let b = 0; b < unread.length; b += 8) {
      const upToPage = sum(counts.slice(0, unread[b])) < last;
      await Promise.all(
        unread.slice(b, b + 8).map(async (i) => {
          const d = days[i];
          const entries = await store.accessLog.find(filterOf(d)).lean();
          counts[i] = entries.length;
          if (upToPage) read.set(d, entries);
          // Kept unless a purge trimmed the filing meanwhile: its count would be one from before. Not
          // announced: another process counts the hour once more itself, rather than decode every filing again.
          if (keepable(d)) {
            if (await keepCount(store, d.doc, entries.length)) d.doc.total = entries.length;
          }
        }),
      );
    }
    const dated = sum(counts);

    // The filings the page shows, read side by side.
    const shown: { d: Filing; n: number; skip: number; take: number }[] = [];
    let before = 0;
    for (const [i, d] of days.entries()) {
      const n = counts[i]!;
      if (before + n > first && before < last) shown.push({ d, n, skip: Math.max(0, first - before), take: Math.min(n, last - before) });
      before += n;
      if (before >= last) break;
    }
    const pieces = await Promise.all(
      shown.map(async ({ d, n, skip, take }) => {
        const entries = (read.get(d) ?? (await store.accessLog.find(filterOf(d)).lean())).sort(newestFirst);
        // A kept count the filing no longer matches (an entry filed late, by a clock behind) is taken again next time.
        if (entries.length !== n) {
          await updateOneSerialised(store, store.accessLogDays, { _id: d.doc._id }, { $unset: { total: 1 } });
          await markChanged(store, 'accessLogDays');
        }
        return entries.slice(skip, take);
      }),
    );
    const items = pieces.flat();
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

  /**
   * The filings newest first, as last read under the current mark (the mark read first, so
   * what is kept is never older than it). Decoding a year's 8,760 costs about half a second,
   * so a new hour is not announced by the mark: this hour and the one before are looked up by
   * id until they are found. The mark changes when a purge deletes, or an older hour is filed.
   */
  async function filingsNow(): Promise<Filing[]> {
    const has = (filings: readonly Filing[] | undefined, id: string) => filings?.some((f) => f.doc._id === id) ?? false;
    const missing = [filedUnder(new Date()), filedUnder(new Date(Date.now() - hourMs))].filter((id) => !has(keptDays.get(store)?.filings, id));
    const [mark, ...recent] = await Promise.all([markOf(store, 'accessLogDays'), ...missing.map((id) => store.accessLogDays.findById(id).lean())]);
    let kept = keptDays.get(store);
    if (kept?.mark !== mark) {
      const docs = await store.accessLogDays.find({}).lean();
      kept = { mark, filings: docs.map(filingOf).sort(newestFiling) };
      keptDays.set(store, kept);
    }
    const filings = kept.filings;
    const found = recent.flatMap((doc) => (doc && !has(filings, doc._id) ? [filingOf(doc)] : []));
    if (found.length) kept.filings = [...found, ...filings].sort(newestFiling);
    return kept.filings;
  }

  /** The entries recorded before entries carried their day: counted by each purge; read whole when a window asks or no purge has counted yet. */
  async function undatedCount(q: AccessLogQuery): Promise<number> {
    const kept = await store.listing.findById(undatedListing).lean();
    if (kept?.count === 0) return 0;
    if (kept && !q.from && !q.to) return kept.count;
    return store.accessLog.countDocuments({ ...undated, ...atWithin(q) });
  }
}
