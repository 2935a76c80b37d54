import { apiAs, interleaved, type Measure } from '../measure';
import { summarize } from '../stats';
import { seedAccessLog } from '../volumes';

const entries = Number(process.env.BENCH_ACCESS_LOG ?? 100_000);
/** The page the API answers when none is asked for. */
const pageSize = 50;

/**
 * The data protection officer's first look: the whole access log, newest first
 * (`GET /api/access-log`), among 100,000 entries (a year's at about 270 reads a day, in a
 * log kept for a year), against raw driver reads of the hours that page shows when the
 * measure starts (store/accessLog.ts reads the whole log hour by hour). Each look is itself
 * recorded in this hour, so page 1 comes to need fewer hours than the floor reads.
 */
export const accessLogRead: Measure = {
  name: 'accessLog',
  async run(stack) {
    await seedAccessLog(stack, entries, 365);
    const dpo = await apiAs(stack, 'dpo');
    const raw = stack.store.accessLog.collection;
    const newest = (await stack.store.accessLogDays.find({}).lean()).sort((a, b) => (a._id < b._id ? 1 : -1));
    const shown: string[] = [];
    for (let n = 0, i = 0; n < pageSize && i < newest.length; i++) {
      shown.push(newest[i]._id);
      n += newest[i].total ?? (await raw.countDocuments({ day: newest[i]._id }));
    }
    const page = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => dpo.get('/api/access-log'),
      () => Promise.all(shown.map((day) => raw.find({ day }).toArray())),
    );
    return [
      {
        measure: `\`GET /api/access-log\` at ${entries.toLocaleString('en')} entries`,
        summary: summarize(page.subject),
        floor: summarize(page.floor),
        target: { kind: 'latency', at: 'p99', maxMs: 100 },
      },
    ];
  },
};
