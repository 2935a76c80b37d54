import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { openStore } from '../store';
import { prepareDatabase } from '../store/seed';
import { startApi } from '../api/server';
import { loadConfig } from '../config';
import { localJwtSecret } from '../config/localSecret';
import { customSearchAttributes } from '../workflows/searchAttributes';
import { ensureAnnualReportSchedule } from '../worker/schedule';
import { createWorker } from '../worker/worker';
import { startFerretDb, startTemporal } from './servers';
import { ensureTools } from './tools';

/**
 * `npm start`: the whole system on one machine. Embedded servers (Temporal dev
 * server with its UI, FerretDB) keep their data under .data/ and are used unless
 * TEMPORAL_ADDRESS or MONGODB_URI point elsewhere.
 */
async function main() {
  // Warnings and errors only, so the banner stays readable; LOG_LEVEL=INFO shows the worker's life.
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL ?? 'WARN') as LogLevel) });
  const dataDir = resolve(__dirname, '../.data');
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const env = { ...process.env };
  const stops: (() => Promise<unknown>)[] = [];
  let temporalUi = env.TEMPORAL_UI_URL;

  const needsTemporal = !env.TEMPORAL_ADDRESS;
  const needsDatabase = !env.MONGODB_URI;
  if (needsTemporal || needsDatabase) await ensureTools();

  if (needsTemporal) {
    const port = Number(env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
    console.log(`Starting Temporal dev server on ${port} (UI ${uiPort}), state in .data/temporal.db …`);
    const temporal = await startTemporal({
      port,
      uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      searchAttributes: customSearchAttributes,
      logFile: join(logDir, 'temporal.log'),
    });
    stops.unshift(() => temporal.stop());
    env.TEMPORAL_ADDRESS = temporal.address;
    temporalUi = temporal.uiUrl;
    env.TEMPORAL_UI_URL = temporalUi;
  }
  if (needsDatabase) {
    const port = Number(env.FERRETDB_PORT ?? 27017);
    console.log(`Starting FerretDB on ${port}, data in .data/ferretdb …`);
    const ferretdb = await startFerretDb({ port, dataDir: join(dataDir, 'ferretdb'), logFile: join(logDir, 'ferretdb.log') });
    stops.unshift(() => ferretdb.stop());
    env.MONGODB_URI = ferretdb.uri;
  }
  if (!env.AUTH_JWKS_URL) env.AUTH_JWT_SECRET = localJwtSecret(env);

  const config = loadConfig(env);
  const store = openStore(config.mongo.uri, config.mongo.db);
  await store.ready();
  stops.unshift(() => store.close());
  await prepareDatabase(config, store);
  const { worker, close: closeWorker } = await createWorker(config, store);
  const running = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await running;
    await closeWorker();
  });
  const api = await startApi(config, store);
  stops.unshift(() => api.close());
  await ensureAnnualReportSchedule(api.client, config);

  console.log(
    [
      '',
      '  Den Sociale Investeringsfond is running',
      `  Pages          ${config.publicUrl}/   (inbox, tasks, proposals, fund)`,
      `  API            ${config.publicUrl}/api`,
      `  API docs       ${config.publicUrl}/api/docs   (OpenAPI: ${config.publicUrl}/api/openapi.json)`,
      `  Temporal UI    ${temporalUi ?? config.temporal.uiUrl}`,
      `  Temporal       ${config.temporal.address}   namespace ${config.temporal.namespace}`,
      `  Database       ${config.mongo.uri}${config.mongo.db}`,
      `  Sign in        ${config.publicUrl}/sign-in, or a token: npm run token -- sara.secretariat   (local only; users in config/people.json)`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    for (const s of stops) await s().catch((err) => console.error(err));
    process.exit(0);
  };
  // stop() catches each step's failure itself, so the promise a signal listener drops never rejects.
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  running.catch(async (err) => {
    console.error('The worker stopped:', err);
    await stop();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
