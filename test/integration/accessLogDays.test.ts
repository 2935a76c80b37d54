import type { AccessLogDoc } from '../../store';
import { openStore, type Store } from '../../store';
import { accessLog, type AccessLogQuery, type Read } from '../../store/accessLog';
import { eventually } from '../support/eventually';
import { testServers, uniqueName } from '../support/servers';

const hour = 3_600_000;
const day = 24 * hour;

/**
 * The whole access log read hour by hour on the embedded database, held to the plain
 * answer (every entry, newest first): pages, windows that cut hours, the counts kept for
 * hours that are over, the entries filed by day before hours were kept and those recorded
 * before entries carried a filing at all, and the purge, which deletes by filing and must
 * leave the pages and totals right.
 */
describe('the access log read by filing', () => {
  let store: Store;
  const database = uniqueName('access-log-days');
  const now = Date.now();
  const entries: AccessLogDoc[] = [];
  /** The start of the hour the purge below cuts in the middle. */
  const purgeHour = Math.floor((now - 6 * day - 3 * hour) / hour) * hour;

  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, database);
    await store.ready();
    const log = accessLog(store);
    const read = (i: number): Read => ({
      userId: ['sara.secretariat', 'bo.member', 'ops'][i % 3],
      what: 'proposal',
      proposalId: `SIF-2026-00${i % 4}`,
      via: 'api',
      route: 'GET /api/proposals/:id',
    });
    // Ten days back to today, a few reads a day at uneven hours (two at the same moment).
    let i = 0;
    for (let d = 10; d >= 0; d--) {
      for (const h of [1, 7, 7, 13, 22].slice(0, 2 + (d % 4))) {
        const at = new Date(now - d * day - h * hour);
        if (at.getTime() > now) continue;
        await log.record(read(i++), at);
      }
    }
    // The hour the purge below cuts, with a read before its cut and one after.
    for (const minutes of [10, 50]) await log.record(read(i++), new Date(purgeHour + minutes * 60_000));
    // Filed by their day, before hours were kept, first thing on a day whose later reads were filed by hour.
    const changeover = Date.parse(new Date(now - 11 * day).toISOString().slice(0, 10));
    const byDay = [1, 2, 3].map((s) => new Date(changeover + s * 1000));
    await store.accessLog.insertMany(byDay.map((at, k) => ({ _id: `by-day-${k}`, at, day: at.toISOString().slice(0, 10), ...read(k) })));
    await store.accessLogDays.create({ _id: new Date(changeover).toISOString().slice(0, 10) });
    await log.record(read(i), new Date(changeover + 12 * hour));
    // Recorded before entries carried a filing at all: older still.
    const legacy = Array.from({ length: 4 }, (_, k) => ({ _id: `legacy-${k}`, at: new Date(now - (12 + k) * day), ...read(k) }));
    await store.accessLog.insertMany(legacy);
    entries.push(...(await store.accessLog.find({}).lean()));
  });
  afterAll(() => store?.close());

  const newestFirst = (a: AccessLogDoc, b: AccessLogDoc) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : -1);
  function expected(q: Pick<AccessLogQuery, 'from' | 'to' | 'page' | 'pageSize'>, from = entries) {
    const within = from.filter((e) => (!q.from || e.at >= q.from) && (!q.to || e.at <= q.to)).sort(newestFirst);
    return { total: within.length, ids: within.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((e) => e._id) };
  }
  async function listed(q: AccessLogQuery) {
    const { total, items } = await accessLog(store).list(q);
    return { total, ids: items.map((e) => e._id) };
  }

  it('pages the whole log newest first, with its total, across hours and days and into the entries without a filing', async () => {
    expect(entries.length).toBeGreaterThan(30);
    for (const pageSize of [3, 7, 50]) {
      for (let page = 1; page <= Math.ceil(entries.length / pageSize) + 1; page++) {
        expect([pageSize, page, await listed({ page, pageSize })]).toEqual([pageSize, page, expected({ page, pageSize })]);
      }
    }
  });

  it('keeps the count of each hour that is over, but not of this hour', async () => {
    await accessLog(store).record({ userId: 'dpo', what: 'accessLog', via: 'pages', route: 'GET /access-log' });
    entries.push(...(await store.accessLog.find({ userId: 'dpo' }).lean()));
    await listed({ page: 1, pageSize: 5 });
    const days = (await store.accessLogDays.find({}).lean()).sort((a, b) => (a._id < b._id ? -1 : 1));
    const thisHour = new Date().toISOString().slice(0, 13);
    const counted = days.filter((d) => d.total !== undefined).map((d) => d._id);
    expect(days.map((d) => d._id)).toContain(thisHour);
    expect(counted).not.toContain(thisHour);
    expect(counted.length).toBeGreaterThanOrEqual(days.length - 2);
    for (const d of days.filter((x) => x.total !== undefined)) expect([d._id, d.total]).toEqual([d._id, entries.filter((e) => e.day === d._id).length]);
    // The kept counts answer the next read as the entries do.
    expect(await listed({ page: 2, pageSize: 7 })).toEqual(expected({ page: 2, pageSize: 7 }));
  });

  it('reads a window of time that cuts hours and days, and one that reaches into the entries without a filing', async () => {
    const windows = [
      { from: new Date(now - 5 * day - 3 * hour), to: new Date(now - 2 * day + 5 * hour) },
      { from: new Date(now - 13 * day), to: new Date(now - 8 * day - 2 * hour) },
      { from: new Date(now - 11 * day - 8 * hour), to: new Date(now - 11 * day - 90 * 60_000) },
      // Ends a moment before two reads of the same hour: they are left out.
      { from: new Date(now - 2 * day - 8 * hour), to: new Date(now - 2 * day - 7 * hour - 1) },
      { from: new Date(now - 2 * day - 7 * hour), to: new Date(now - 2 * day - 7 * hour) },
      { from: new Date(now - 3 * day - 7 * hour) },
      { to: new Date(now - 9 * day) },
    ];
    for (const w of windows) {
      for (const page of [1, 2, 3]) expect(await listed({ ...w, page, pageSize: 4 })).toEqual(expected({ ...w, page, pageSize: 4 }));
    }
  });

  it('takes an hour again whose kept count an entry filed late no longer matches, and never overfills a page meanwhile', async () => {
    const late = new Date(now - 3 * day - 7 * hour + 1);
    const lateDay = late.toISOString().slice(0, 13);
    await listed({ page: 1, pageSize: 5 });
    const kept = (await store.accessLogDays.findById(lateDay).lean())!.total;
    expect(kept).toBe(entries.filter((e) => e.day === lateDay).length);
    await accessLog(store).record({ userId: 'ops', what: 'users', via: 'pages', route: 'GET /admin/users' }, late);
    entries.push(...(await store.accessLog.find({ day: lateDay, userId: 'ops', what: 'users' }).lean()));
    // The first read after it trusts the kept count, one short. A page that ends two entries into the day before
    // still holds a page, each entry once (read past the count, the day's last entry would come twice over).
    const pageSize = entries.filter((e) => e.day && e.day >= lateDay).length + 2;
    const { ids } = await listed({ page: 1, pageSize });
    expect(ids).toHaveLength(pageSize);
    expect(new Set(ids).size).toBe(pageSize);
    await eventually(async () => {
      for (const page of [1, 4]) expect(await listed({ page, pageSize: 9 })).toEqual(expected({ page, pageSize: 9 }));
    });
  });

  it("a purge (here another process's) deletes what is older than the retention by filing and by time, and the pages and totals stay right", async () => {
    // Half-way through an hour: its read before goes, its read after stays.
    const before = new Date(purgeHour + 30 * 60_000);
    const expiring = entries.filter((e) => e.at < before);
    expect(expiring.length).toBeGreaterThan(5);
    // This process has the days in hand; the worker's purge changes them under it.
    expect(await listed({ page: 1, pageSize: 50 })).toEqual(expected({ page: 1, pageSize: 50 }));
    // A purge that stopped between a day's document and its entries left them without it: found all the same.
    const oldest = entries.filter((e) => e.day).sort((a, b) => a.at.getTime() - b.at.getTime())[0].day!;
    await store.accessLogDays.deleteOne({ _id: oldest });
    const worker = openStore(testServers().mongodbUri, database);
    try {
      await worker.ready();
      expect(await accessLog(worker).purge(before)).toBe(expiring.length);
    } finally {
      await worker.close();
    }
    const left = entries.filter((e) => e.at >= before);
    expect((await store.accessLog.find({}, { _id: 1 }).lean()).map((e) => e._id).sort()).toEqual(left.map((e) => e._id).sort());
    expect((await store.accessLogDays.find({}).lean()).every((d) => d._id >= before.toISOString().slice(0, 13))).toBe(true);
    for (const pageSize of [4, 50]) {
      for (let page = 1; page <= Math.ceil(left.length / pageSize); page++) expect(await listed({ page, pageSize })).toEqual(expected({ page, pageSize }, left));
    }
    // Nothing is left without a day, and the list no longer reads for them.
    expect((await store.listing.findById('accessLogUndated').lean())?.count).toBe(0);
    expect(await accessLog(store).purge(before)).toBe(0);
  });
});
