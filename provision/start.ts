import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, productionSigns } from '../config';
import { localJwtSecret, localPayloadKeys } from '../config/localSecret';
import { customSearchAttributes } from '../workflows/searchAttributes';
import { startNodeProcess } from './nodeProcess';
import { startFerretDb, startTemporal, type FerretDbBackend } from './servers';
import { supervise, type Supervisor } from './supervisor';
import { ensureTools } from './tools';

const log = (line: string) => console.log(`[supervisor] ${line}`);

/**
 * `npm start`: the whole system on one machine, as a supervisor of separate
 * processes — the embedded servers (Temporal dev server with its UI, FerretDB on its
 * private PostgreSQL; unless TEMPORAL_ADDRESS or MONGODB_URI point elsewhere), then the worker and the
 * API as production runs them. Whatever dies is started again; Ctrl-C or SIGTERM
 * stops the API and the worker first and the servers last.
 */
async function main() {
  const dataDir = resolve(process.env.SIF_DATA_DIR ?? resolve(__dirname, '../.data'));
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // Warnings and errors only, so the banner stays readable; LOG_LEVEL=INFO shows the worker's life.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'WARN', ...process.env, SIF_DATA_DIR: dataDir };
  const supervisors: Supervisor[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping …');
    // The API and the worker let go of the servers before the servers go.
    for (const s of [...supervisors].reverse()) await s.stop().catch((err) => console.error(err));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  /** Starts one supervised part and waits until it first runs; the whole stack gives up with it. */
  async function keep(name: string, start: Parameters<typeof supervise>[1]) {
    let first: (() => void) | undefined;
    const firstRun = new Promise<void>((r) => (first = r));
    const supervisor = supervise(
      name,
      async () => {
        const running = await start();
        first?.();
        return running;
      },
      log,
    );
    supervisors.push(supervisor);
    void supervisor.gaveUp.then(async (reason) => {
      console.error(`[supervisor] ${reason}. Logs: ${logDir}`);
      await stop(1);
    });
    await Promise.race([firstRun, supervisor.gaveUp]);
  }

  const embeddedTemporal = !env.TEMPORAL_ADDRESS;
  const embeddedDatabase = !env.MONGODB_URI;
  const temporalPort = Number(env.TEMPORAL_PORT ?? 7233);
  const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
  const ferretPort = Number(env.FERRETDB_PORT ?? 27017);
  if (embeddedTemporal) {
    env.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
    // localhost, the pages' own site: a UI there may send the operator's session cookie to the codec endpoint.
    env.TEMPORAL_UI_URL = `http://localhost:${uiPort}`;
  }
  if (embeddedDatabase) env.MONGODB_URI = `mongodb://127.0.0.1:${ferretPort}/`;
  if (!env.AUTH_JWKS_URL) env.AUTH_JWT_SECRET = localJwtSecret(env);
  env.PAYLOAD_KEYS = localPayloadKeys(dataDir, env);
  // A local run lets people choose who they are on the sign-in page; settings that look like production never do.
  if (!env.LOCAL_SIGN_IN?.trim() && productionSigns(env).length === 0) env.LOCAL_SIGN_IN = 'true';
  const config = loadConfig(env);
  const codecEndpoint = `${config.publicUrl}/codec`;

  if (embeddedTemporal || embeddedDatabase) await ensureTools();
  if (embeddedTemporal) {
    log(`Temporal dev server on ${temporalPort} (UI ${uiPort}, decoding through ${codecEndpoint}), state in ${join(dataDir, 'temporal.db')}`);
    await keep('temporal', () =>
      startTemporal({
        port: temporalPort,
        uiPort,
        dbFile: join(dataDir, 'temporal.db'),
        searchAttributes: customSearchAttributes,
        logFile: join(logDir, 'temporal.log'),
        extraArgs: ['--ui-codec-endpoint', codecEndpoint],
      }),
    );
  }
  if (embeddedDatabase) {
    const backend = ferretDbBackend(env.FERRETDB_BACKEND);
    // Each backend keeps its own directory: switching never reads the other's data as its own.
    const ferretData = join(dataDir, backend === 'sqlite' ? 'ferretdb' : 'postgresql');
    log(`FerretDB on ${ferretPort} (${backend}), data in ${ferretData}`);
    await keep('ferretdb', () => startFerretDb({ port: ferretPort, backend, dataDir: ferretData, logFile: join(logDir, 'ferretdb.log') }));
  }
  const output = (line: string) => console.log(line);
  await keep('worker', () => startNodeProcess('worker', 'worker/main.ts', env, /^worker polling /, output));
  await keep('api', () => startNodeProcess('api', 'api/main.ts', env, /^API listening /, output));
  if (stopping) return;

  console.log(
    [
      '',
      '  Den Sociale Investeringsfond is running',
      `  Pages          ${config.publicUrl}/   (inbox, tasks, proposals, fund)`,
      `  API            ${config.publicUrl}/api   (health: ${config.publicUrl}/api/health)`,
      `  API docs       ${config.publicUrl}/api/docs   (OpenAPI: ${config.publicUrl}/api/openapi.json)`,
      `  Temporal UI    ${config.temporal.uiUrl}   (payloads decoded for operators: ${codecEndpoint}, see the README)`,
      `  Temporal       ${config.temporal.address}   namespace ${config.temporal.namespace}`,
      `  Database       ${config.mongo.uri}${config.mongo.db}`,
      config.auth.localSignIn
        ? `  Sign in        ${config.publicUrl}/sign-in, or a token: npm run token -- sara.secretariat   (local only, no password; users in config/people.json)`
        : `  Sign in        ${config.publicUrl}/sign-in${config.oidc ? ` through ${config.oidc.issuer}` : ' (no sign-in configured: set OIDC_ISSUER_URL)'}`,
      '  Whatever stops is restarted. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

function ferretDbBackend(value: string | undefined): FerretDbBackend {
  const backend = value?.trim() || 'postgresql';
  if (backend !== 'postgresql' && backend !== 'sqlite') throw new Error(`FERRETDB_BACKEND must be postgresql or sqlite, not ${JSON.stringify(value)}`);
  return backend;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
