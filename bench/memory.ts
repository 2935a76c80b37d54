/**
 * `npm run bench:memory`: the worker's memory with many open cases being read.
 *
 * Starts its own Temporal dev server and FerretDB, the worker as its own process (as
 * production runs it, with the configured cache), opens N proposal workflows and then
 * queries every one of them, as people reading proposal pages would, while sampling the
 * worker's resident memory. Prints the peak against the target a 4 GiB container allows
 * and exits non-zero above it. A benchmark, not a test: CI times nothing.
 */
import { readFileSync } from 'node:fs';
import { housingFirst } from '../test/fixtures/proposals';
import { proposalSummary, type Proposal } from '../domain/proposal';
import { workflowIdFor } from '../workflows/input';
import { stateQuery } from '../workflows/messages';
import { inParallel } from './measure';
import { startBenchStack } from './stack';

const cases = Number(process.env.BENCH_CASES ?? 2000);
const concurrency = 20;
/** Issue #12's bound on the worker's resident memory, for a 2-core, 4 GiB container that also runs the API. */
const targetMiB = 700;

const rssMiB = (pid: number) => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : 0;
};

async function main() {
  const { config, client, store, workerPid, stop } = await startBenchStack({ api: false });
  let peak = rssMiB(workerPid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(workerPid))), 250);
  try {
    const atStart = rssMiB(workerPid);
    const summary = proposalSummary(housingFirst as unknown as Proposal);
    let started = Date.now();
    await inParallel(cases, concurrency, (i) =>
      client.workflow.start('proposalLifecycle', {
        taskQueue: config.temporal.taskQueue,
        workflowId: workflowIdFor(`BENCH-${i}`),
        args: [{ proposalId: `BENCH-${i}`, createdBy: 'sara.secretariat', summary, deadlines: config.deadlines }],
      }),
    );
    // Each case's first step records it; wait for all, so queries meet a worker that has caught up.
    while ((await store.events.countDocuments({ type: 'created' })) < cases) await new Promise((r) => setTimeout(r, 1000));
    const startSeconds = (Date.now() - started) / 1000;
    const afterStart = rssMiB(workerPid);
    started = Date.now();
    for (let round = 0; round < 2; round++) {
      await inParallel(cases, concurrency, async (i) => {
        // A busy worker may let a query time out; a person would reload the page.
        for (let attempt = 1; ; attempt++) {
          try {
            return await client.workflow.getHandle(workflowIdFor(`BENCH-${i}`)).query(stateQuery);
          } catch (err) {
            if (attempt === 3) throw err;
          }
        }
      });
    }
    const querySeconds = (Date.now() - started) / 1000;
    const atEnd = rssMiB(workerPid);
    peak = Math.max(peak, atEnd);
    console.log(
      [
        `worker cache: WORKER_MAX_CACHED_WORKFLOWS=${config.worker.maxCachedWorkflows}, workflow tasks ${config.worker.maxConcurrentWorkflowTaskExecutions}, activities ${config.worker.maxConcurrentActivityTaskExecutions}`,
        `${cases} open proposal workflows started in ${startSeconds.toFixed(0)} s; each queried twice in ${querySeconds.toFixed(0)} s`,
        `worker RSS: ${atStart.toFixed(0)} MiB at start, ${afterStart.toFixed(0)} MiB after the starts, ${atEnd.toFixed(0)} MiB at the end, peak ${peak.toFixed(0)} MiB`,
        `peak ${peak.toFixed(0)} MiB ${peak <= targetMiB ? 'within' : 'OVER'} the target of ${targetMiB} MiB`,
      ].join('\n'),
    );
    if (peak > targetMiB) process.exitCode = 1;
  } catch (err) {
    // Said before the connection closes under requests still being retried.
    console.error('the benchmark failed:', err);
    process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
