/**
 * `npm run bench:outlook`: what the fund's outlook costs to read as the fund grows.
 *
 * Starts its own Temporal dev server and FerretDB, and for each number of running
 * cases (`BENCH_OUTLOOK_CASES`, default 10,100,1000) a fresh database seeded by
 * bench/seedCommitments.ts and the API; then asks `GET /api/fund/outlook` and the
 * `/fund` page in turn, as a council member and the secretariat would, and prints
 * the median, p95 and p99 of each. A measurement, not a test: CI times nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signLocalToken } from '../api/auth';
import { sessionCookie } from '../api/pages/session';
import { startApi } from '../api/server';
import { loadConfig } from '../config';
import { newPayloadKey } from '../config/payloadKeys';
import { openStore } from '../store';
import { prepareDatabase } from '../store/seed';
import { pageSessions } from '../store/sessions';
import { customSearchAttributes } from '../workflows/searchAttributes';
import { freePort, startFerretDb, startTemporal } from '../provision/servers';
import { seedCommitments } from './seedCommitments';

const sizes = (process.env.BENCH_OUTLOOK_CASES ?? '10,100,1000').split(',').map(Number);
const rounds = Number(process.env.BENCH_OUTLOOK_ROUNDS ?? 40);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sif-bench-outlook-'));
  const temporal = await startTemporal({ port: await freePort(), searchAttributes: customSearchAttributes, dbFile: join(dir, 'temporal.db') });
  const ferret = await startFerretDb({ port: await freePort(), dataDir: join(dir, 'ferretdb') });
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const config = loadConfig({
        ...process.env,
        TEMPORAL_ADDRESS: temporal.address,
        MONGODB_URI: ferret.uri,
        MONGODB_DB: `bench-outlook-${n}`,
        AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench!!',
        PAYLOAD_KEYS: newPayloadKey('bench'),
        PORT: String(await freePort()),
        LOCAL_SIGN_IN: 'true',
      });
      const store = openStore(config.mongo.uri, config.mongo.db);
      await store.ready();
      await prepareDatabase(config, store);
      let started = Date.now();
      await seedCommitments(store, n);
      const seedSeconds = (Date.now() - started) / 1000;
      const api = await startApi(config, store);
      try {
        const token = await signLocalToken(config.auth.jwtSecret!, 'bo.member');
        const session = await pageSessions(store, config.sessions).start('sara.secretariat');
        const measures = {
          'GET /api/fund/outlook': () => timed(`${api.url}/api/fund/outlook`, { authorization: `Bearer ${token}` }),
          'GET /fund (page)': () => timed(`${api.url}/fund`, { cookie: `${sessionCookie}=${session.id}` }),
        };
        const times: Record<string, number[]> = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
        for (const m of Object.values(measures)) for (let i = 0; i < 3; i++) await m(); // warm up
        started = Date.now();
        // Interleaved, so both meet the same machine.
        for (let r = 0; r < rounds; r++) for (const [name, m] of Object.entries(measures)) times[name].push(await m());
        for (const [name, t] of Object.entries(times)) {
          const sorted = [...t].sort((a, b) => a - b);
          rows.push(`| ${n} | ${name} | ${quantile(sorted, 0.5).toFixed(1)} | ${quantile(sorted, 0.95).toFixed(1)} | ${quantile(sorted, 0.99).toFixed(1)} |`);
          console.log(`[bench] ${rows.at(-1)}`); // as it comes, in case a larger size takes too long
        }
        console.log(`[bench] ${n} running cases seeded in ${seedSeconds.toFixed(1)} s, measured in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await api.close();
        await store.conn.dropDatabase().catch(() => undefined);
        await store.close();
      }
    }
    console.log(['| running cases | measure | p50 ms | p95 ms | p99 ms |', '|---|---|---|---|---|', ...rows].join('\n'));
  } catch (err) {
    console.error('the measurement failed:', err);
    process.exitCode = 1;
  } finally {
    await ferret.stop();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
