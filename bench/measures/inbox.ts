import { apiAs, interleaved, type Measure } from '../measure';
import { summarize } from '../stats';
import { seedTasks } from '../volumes';

const tasks = Number(process.env.BENCH_TASKS ?? 100_000);
const me = 'sara.secretariat';

/** A person's inbox, `GET /api/tasks?assignee=me&status=open`, among 100,000 tasks, against a raw driver query of the same documents. */
export const inbox: Measure = {
  name: 'inbox',
  async run(stack) {
    await seedTasks(stack, tasks, me, 40);
    const sara = await apiAs(stack, me);
    const samples = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => sara.get('/api/tasks?assignee=me&status=open'),
      () => stack.store.tasks.collection.find({ assignee: me, status: 'open' }).sort({ dueAt: 1, _id: 1 }).limit(500).toArray(),
    );
    return [
      {
        measure: `\`GET /api/tasks?assignee=me&status=open\` at ${tasks.toLocaleString('en')} tasks`,
        summary: summarize(samples.subject),
        floor: summarize(samples.floor),
        target: { kind: 'latency', at: 'p99', maxMs: 50 },
      },
    ];
  },
};
