import { approvedUnreservedStages } from '../../domain/stages';
import { visitor } from '../../test/support/visitor';
import { apiAs, interleaved, type Measure } from '../measure';
import { summarize, type Row } from '../stats';
import { seedRunningCases } from '../volumes';

const steps = (process.env.BENCH_RUNNING_CASES ?? '10,100,1000').split(',').map(Number);

/**
 * The `/fund` page and `GET /api/fund/outlook` as the running cases grow (10, 100, 1,000),
 * each against a raw driver read of what the outlook is made of: the cases that hold or
 * ask for money, and the ledger's movements.
 */
export const outlook: Measure = {
  name: 'outlook',
  async run(stack) {
    const sara = await apiAs(stack, 'sara.secretariat');
    const browser = visitor(stack.apiUrl);
    await browser.signIn('sara.secretariat');
    const floor = () =>
      Promise.all([
        stack.store.proposals.collection.find({ stage: { $in: ['Contracting', 'Implementation', 'GrantActive', ...approvedUnreservedStages] } }).toArray(),
        stack.store.ledger.collection.find({}).toArray(),
      ]);
    const rows: Row[] = [];
    for (const cases of steps) {
      await seedRunningCases(stack, cases);
      const page = await interleaved(
        { n: 50, budgetMs: 45_000 },
        async () => {
          const res = await browser.get('/fund');
          if (res.status !== 200) throw new Error(`/fund answered ${res.status}`);
        },
        floor,
      );
      const api = await interleaved({ n: 50, budgetMs: 45_000 }, () => sara.get('/api/fund/outlook'), floor);
      const at = `at ${cases.toLocaleString('en')} running cases`;
      rows.push(
        { measure: `\`/fund\` page ${at}`, summary: summarize(page.subject), floor: summarize(page.floor), target: { kind: 'latency', at: 'p50', maxMs: 100 } },
        { measure: `\`GET /api/fund/outlook\` ${at}`, summary: summarize(api.subject), floor: summarize(api.floor), target: { kind: 'latency', at: 'p50', maxMs: 100 } },
      );
    }
    return rows;
  },
};
