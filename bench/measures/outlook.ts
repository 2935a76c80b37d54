import { newestEntry } from '../../store/ledgerHead';
import { visitor } from '../../test/support/visitor';
import { apiAs, interleaved, type Measure } from '../measure';
import { seedCommitments } from '../seedCommitments';
import { takeStock } from '../volumes';
import { summarize, type Row } from '../stats';

const steps = (process.env.BENCH_RUNNING_CASES ?? '10,100,1000').split(',').map(Number);

/**
 * The `/fund` page and `GET /api/fund/outlook` as the cases holding money grow (10, 100,
 * 1,000), each against a raw driver read of what the outlook is made of: the counted
 * commitments and the ledger's head. The cases are seeded as the system records them
 * (bench/seedCommitments.ts): the outlook reads the commitments read model, never a workflow.
 */
export const outlook: Measure = {
  name: 'outlook',
  async run(stack) {
    const sara = await apiAs(stack, 'sara.secretariat');
    const browser = visitor(stack.apiUrl);
    await browser.signIn('sara.secretariat');
    // The head by its number, as store/ledgerHead.ts finds it (a sort reads every entry on FerretDB); this process knows the number after the first call.
    const floor = () => Promise.all([stack.store.commitments.collection.find({ counted: true }).toArray(), newestEntry(stack.store)]);
    const rows: Row[] = [];
    let seeded = 0;
    for (const cases of steps) {
      // Each step adds the cases it lacks, under a prefix of its own.
      await seedCommitments(stack.store, cases - seeded, `BENCH-${cases}`);
      await takeStock(stack.store, stack.store.proposals, stack.store.ledger, stack.store.ledgerRows, stack.store.commitments);
      seeded = cases;
      const page = await interleaved(
        { n: 50, budgetMs: 45_000 },
        async () => {
          const res = await browser.get('/fund');
          if (res.status !== 200) throw new Error(`/fund answered ${res.status}`);
        },
        floor,
      );
      const api = await interleaved({ n: 50, budgetMs: 45_000 }, () => sara.get('/api/fund/outlook'), floor);
      const at = `at ${cases.toLocaleString('en')} cases holding money`;
      rows.push(
        { measure: `\`/fund\` page ${at}`, summary: summarize(page.subject), floor: summarize(page.floor), target: { kind: 'latency', at: 'p50', maxMs: 100 } },
        { measure: `\`GET /api/fund/outlook\` ${at}`, summary: summarize(api.subject), floor: summarize(api.floor), target: { kind: 'latency', at: 'p50', maxMs: 100 } },
      );
    }
    return rows;
  },
};
