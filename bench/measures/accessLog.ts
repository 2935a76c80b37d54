import { apiAs, interleaved, type Measure } from '../measure';
import { summarize } from '../stats';
import { dayOf } from '../../store/accessLog';
import { seedAccessLog } from '../volumes';

const entries = Number(process.env.BENCH_ACCESS_LOG ?? 100_000);

/**
 * The data protection officer's first look: the whole access log, newest first
 * (`GET /api/access-log`), among 100,000 entries (a year's at about 270 reads a day, in a
 * log kept for a year), against a raw driver read of the day that page shows
 * (store/accessLog.ts reads the whole log by day).
 */
export const accessLogRead: Measure = {
  name: 'accessLog',
  async run(stack) {
    await seedAccessLog(stack, entries, 365);
    const dpo = await apiAs(stack, 'dpo');
    const raw = stack.store.accessLog.collection;
    const today = dayOf(new Date());
    const page = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => dpo.get('/api/access-log'),
      () => raw.find({ day: today }).toArray(),
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
