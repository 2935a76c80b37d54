/**
 * The stack a benchmark runs on, started privately as `npm start` would run it: the
 * Temporal dev server (state in a file), the embedded database, the worker and the API
 * each as a process of their own, all in a temporary directory removed afterwards.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { newPayloadKey } from '../config/payloadKeys';
import { temporalDataConverter } from '../config/temporal';
import { openStore, type Store } from '../store';
import { customSearchAttributes } from '../workflows/searchAttributes';
import { startNodeProcess } from '../provision/nodeProcess';
import { freePort, startFerretDb, startTemporal } from '../provision/servers';

export interface BenchStackOptions {
  /** Also the API process (the memory benchmark needs only the worker). */
  api: boolean;
}

export async function startBenchStack({ api }: BenchStackOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'sif-bench-'));
  // mkdtemp makes it private to us; the launcher runs PostgreSQL as `postgres` when we are root, which must reach its data directory inside.
  chmodSync(dir, 0o755);
  const stops: (() => Promise<unknown>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((err) => console.error(err));
  };
  try {
    const temporal = await startTemporal({ port: await freePort(), searchAttributes: customSearchAttributes, dbFile: join(dir, 'temporal.db') });
    stops.push(() => temporal.stop());
    const ferret = await startFerretDb({ port: await freePort(), dataDir: join(dir, 'ferretdb') });
    stops.push(() => ferret.stop());
    const port = await freePort();
    // A fund deep enough for every case the measures approve: an approval the fund cannot cover goes back, and a run would stop measuring.
    const settings = JSON.parse(readFileSync(resolve(__dirname, '../config/settings.json'), 'utf8')) as { fund: { openingCapital: string } };
    settings.fund.openingCapital = '99999999999.99';
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      MONGODB_URI: ferret.uri,
      AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench!!',
      PAYLOAD_KEYS: newPayloadKey('bench'),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOCAL_SIGN_IN: 'true',
      LOG_LEVEL: 'WARN',
      SIF_SETTINGS: join(dir, 'settings.json'),
    };
    const config = loadConfig(env);
    // Their output would interleave with the table; a failure to start still says why.
    const quiet = () => undefined;
    const worker = await startNodeProcess('worker', 'worker/main.ts', env, /^worker polling /, quiet);
    stops.push(() => worker.stop());
    if (api) {
      const apiProcess = await startNodeProcess('api', 'api/main.ts', env, /^API listening /, quiet);
      stops.push(() => apiProcess.stop());
    }
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
    const store: Store = openStore(config.mongo.uri, config.mongo.db);
    await store.ready();
    stops.push(() => store.close());
    return { config, client, store, apiUrl: config.publicUrl, workerPid: worker.pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
