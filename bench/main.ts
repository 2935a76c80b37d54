/**
 * `npm run bench`: issue #14's table on this machine. Starts its own stack (bench/stack.ts),
 * puts the data volumes in place, runs each measure in turn with its raw Temporal or raw
 * database floor, and prints the table. `npm run bench -- start inbox` runs only those
 * measures (names below). A benchmark, not a test: it exits 0 whether targets are met or
 * not, and says which are not. Ctrl-C prints the table of the measures done so far.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Measure } from './measure';
import { accessLogRead } from './measures/accessLog';
import { history } from './measures/history';
import { inbox } from './measures/inbox';
import { outlook } from './measures/outlook';
import { proposalReads } from './measures/proposalReads';
import { proposalStart } from './measures/proposalStart';
import { taskCompletion } from './measures/taskCompletion';
import { throughput } from './measures/throughput';
import { startBenchStack } from './stack';
import { markdownTable, met, type Row } from './stats';

/** In this order: the writes on a young database first, then the volumes, which only grow. */
const measures: Measure[] = [proposalStart, taskCompletion, throughput, proposalReads, inbox, outlook, accessLogRead, history];

function machine() {
  const commit = (() => {
    try {
      return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, commit ${commit}, ${new Date().toISOString()}`;
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !measures.some((m) => m.name === name));
  if (unknown.length) {
    console.error(`unknown measure ${unknown.join(', ')}; the measures are ${measures.map((m) => m.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = asked.length ? measures.filter((m) => asked.includes(m.name)) : measures;
  console.error(`starting the stack for ${chosen.map((m) => m.name).join(', ')} …`);
  const stack = await startBenchStack({ api: true });
  const rows: Row[] = [];
  const report = (interrupted: string[]) => {
    const unmet = rows.filter((r) => met(r) !== true);
    console.log(`\n${machine()}\n\n${markdownTable(rows)}\n`);
    if (interrupted.length) console.log(`interrupted: not measured ${interrupted.join(', ')}`);
    console.log(unmet.length ? `${unmet.length} of ${rows.length} targets NOT met: ${unmet.map((r) => r.measure).join('; ')}` : `all ${rows.length} targets met`);
  };
  // Ctrl-C ends a long run with the table of what was measured so far.
  let current = 0;
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    report(chosen.slice(current).map((m) => m.name));
    void stack.stop().finally(() => process.exit(0));
  });
  try {
    for (; current < chosen.length && !interrupted; current++) {
      const measure = chosen[current];
      const started = Date.now();
      console.error(`${measure.name} …`);
      try {
        const measured = await measure.run(stack);
        rows.push(...measured);
        console.error(markdownTable(measured).split('\n').slice(2).join('\n'));
      } catch (err) {
        // One measure that fails does not take the others' figures with it.
        console.error(`${measure.name} failed:`, err);
        rows.push({ measure: measure.name, missing: `failed (${err instanceof Error ? err.message.slice(0, 80) : String(err)})` });
      }
      console.error(`${measure.name} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    if (!interrupted) await stack.stop();
  }
  if (!interrupted) report([]);
}

main().catch((err) => {
  console.error('the benchmark could not run:', err);
  process.exit(1);
});
