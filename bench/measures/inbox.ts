import { poolKindsOf } from '../../domain/taskPool';
import { apiAs, interleaved, type Measure } from '../measure';
import { summarize, type Row } from '../stats';
import { seedTasks } from '../volumes';

const tasks = Number(process.env.BENCH_TASKS ?? 100_000);
const me = 'sara.secretariat';

/**
 * Among 100,000 tasks: a person's inbox, `GET /api/tasks?assignee=me&status=open`, and the
 * secretariat's pool, `GET /api/tasks?assignee=pool`, each against a raw driver read of
 * the same documents (for the pool, its kinds' open tasks, as store/poolTasks.ts reads them).
 */
export const inbox: Measure = {
  name: 'inbox',
  async run(stack) {
    await seedTasks(stack, tasks, me, 40);
    const sara = await apiAs(stack, me);
    const raw = stack.store.tasks.collection;
    const at = `at ${tasks.toLocaleString('en')} tasks`;
    const target: Row['target'] = { kind: 'latency', at: 'p99', maxMs: 50 };
    const mine = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => sara.get('/api/tasks?assignee=me&status=open'),
      () => raw.find({ assignee: me, status: 'open' }).sort({ dueAt: 1, _id: 1 }).limit(500).toArray(),
    );
    const kinds = poolKindsOf({ userId: me, roles: ['secretariat'] });
    const pool = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => sara.get('/api/tasks?assignee=pool'),
      () => Promise.all(kinds.map((kind) => raw.find({ kind, status: 'open' }).toArray())),
    );
    return [
      { measure: `\`GET /api/tasks?assignee=me&status=open\` ${at}`, summary: summarize(mine.subject), floor: summarize(mine.floor), target },
      { measure: `\`GET /api/tasks?assignee=pool\` ${at}`, summary: summarize(pool.subject), floor: summarize(pool.floor), target },
    ];
  },
};
