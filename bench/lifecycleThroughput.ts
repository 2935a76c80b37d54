/**
 * `npm run bench:lifecycle`: how many proposals a minute go from creation through the
 * council, the mayor and the cooperation agreement, ten at a time, through the API.
 *
 * Starts its own Temporal dev server and FerretDB, the worker and the API as their own
 * processes (as production runs them). Each proposal is created, submitted, voted on by
 * two members, attested by the chair, approved by the mayor and agreed by the
 * department, every step as the person would take it through the API; the benchmark
 * finds each task in the database, as a person finds it in the inbox. Prints the rate,
 * the median and p95 of a proposal's whole path, and the median history length.
 * A benchmark, not a test: CI times nothing. `runLifecycles` is exported for `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { signLocalToken } from '../api/auth';
import { loadConfig, type Config } from '../config';
import { temporalDataConverter } from '../config/temporal';
import { openStore, type Store } from '../store';
import { housingFirst } from '../test/fixtures/proposals';
import { workflowIdFor } from '../workflows/input';
import { startNodeProcess } from '../provision/nodeProcess';
import { freePort } from '../provision/servers';
import { startBenchServers } from './servers';

/** What one run measured. */
export interface LifecycleRun {
  proposals: number;
  concurrency: number;
  perMinute: number;
  /** Milliseconds from creation to the cooperation agreement's stage change. */
  p50Ms: number;
  p95Ms: number;
  /** Temporal events in a proposal's history at that point (median). */
  historyEvents: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Runs `proposals` lifecycles, `concurrency` at a time, through the API at `apiUrl`. */
export async function runLifecycles(opts: { apiUrl: string; config: Config; store: Store; client: Client; proposals: number; concurrency: number }): Promise<LifecycleRun> {
  const { apiUrl, config, store, client } = opts;
  const tokens = new Map<string, string>();
  const tokenOf = async (userId: string) => tokens.get(userId) ?? tokens.set(userId, await signLocalToken(config.auth.jwtSecret!, userId)).get(userId)!;
  async function post(userId: string, path: string, body: unknown = {}) {
    // As a client would: a 503 (the worker did not take the Update in time) is tried again with the same key.
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenOf(userId)}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.ok) return JSON.parse(text) as Record<string, unknown>;
      if (res.status !== 503 || attempt === 10) throw new Error(`POST ${path} as ${userId}: ${res.status} ${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  async function until<T>(what: string, find: () => Promise<T | null | undefined>): Promise<T> {
    const deadline = Date.now() + 300_000;
    for (;;) {
      const found = await find();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`waited five minutes for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const openTask = (proposalId: string, kind: string) =>
    until(`an open ${kind} task of ${proposalId}`, () => store.tasks.findOne({ proposalId, kind, status: 'open', assignee: { $ne: null } }).lean());
  const answer = async (proposalId: string, kind: string, input: unknown) => {
    const task = await openTask(proposalId, kind);
    await post(task.assignee!, `/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
  };

  // A small amount, so the fund covers every proposal of the run.
  const proposal = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, requestedFromFund: '10000' } };
  const durations: number[] = [];
  const histories: number[] = [];
  async function one() {
    const started = Date.now();
    const { id } = (await post('sara.secretariat', '/api/proposals', proposal)) as { id: string };
    await post('sara.secretariat', `/api/proposals/${id}/submit`);
    for (let i = 0; i < 2; i++) await answer(id, 'councilVote', { decision: 'approve' });
    await answer(id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    await answer(id, 'mayoralApproval', { decision: 'approve' });
    await answer(id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    await until(`${id} past the cooperation agreement`, async () => {
      const doc = await store.proposals.findById(id, { stage: 1 }).lean();
      return doc && ['AwaitingProcurement', 'Procurement'].includes(doc.stage) ? doc : null;
    });
    durations.push(Date.now() - started);
    histories.push((await client.workflow.getHandle(workflowIdFor(id)).describe()).historyLength);
  }

  let next = 0;
  const began = Date.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.proposals) {
        next += 1;
        await one();
      }
    }),
  );
  const minutes = (Date.now() - began) / 60_000;
  durations.sort((a, b) => a - b);
  histories.sort((a, b) => a - b);
  return {
    proposals: opts.proposals,
    concurrency: opts.concurrency,
    perMinute: opts.proposals / minutes,
    p50Ms: quantile(durations, 0.5),
    p95Ms: quantile(durations, 0.95),
    historyEvents: quantile(histories, 0.5),
  };
}

async function main() {
  const proposals = Number(process.env.BENCH_PROPOSALS ?? 60);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
  const port = await freePort();
  const servers = await startBenchServers('lifecycle', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  const { temporal, env } = servers;
  const config = loadConfig(env);
  const quiet = () => undefined;
  const worker = await startNodeProcess('worker', 'worker/main.ts', env, /^worker polling /, quiet);
  const api = await startNodeProcess('api', 'api/main.ts', env, /^API listening /, quiet);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
  const store = openStore(config.mongo.uri, config.mongo.db);
  try {
    await store.ready();
    const run = await runLifecycles({ apiUrl: config.publicUrl, config, store, client, proposals, concurrency });
    console.log(
      [
        `${run.proposals} proposals, ${run.concurrency} at a time, create → council → mayor → cooperation agreement through the API`,
        `${run.perMinute.toFixed(1)} proposals/min; one proposal's path p50 ${(run.p50Ms / 1000).toFixed(1)} s, p95 ${(run.p95Ms / 1000).toFixed(1)} s; history ${run.historyEvents} events (median)`,
      ].join('\n'),
    );
  } catch (err) {
    console.error('the benchmark failed:', err);
    process.exitCode = 1;
  } finally {
    await store.close();
    await connection.close();
    await api.stop();
    await worker.stop();
    await servers.stop();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
