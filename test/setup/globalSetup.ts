import { join } from 'node:path';
import { ensureTools } from '../../provision/tools';
import { freePort, startFerretDb, startTemporal } from '../../provision/servers';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { testNamespaces } from '../support/namespaces';
import { newRunDir, writeWorkflowBundle } from './workflowBundle';

/**
 * Starts the real servers once for the whole run, on free ports of their own, so
 * `npm test` runs beside `npm start`. Tests find them through environment variables.
 */
/** PostgreSQL, as `npm start` runs it; FERRETDB_BACKEND=sqlite runs the suite on the old backend, to compare. */
const ferretDbBackend = () => (process.env.FERRETDB_BACKEND === 'sqlite' ? 'sqlite' : 'postgresql');

export default async function globalSetup() {
  const started = Date.now();
  const tools = await ensureTools();
  const runDir = newRunDir();

  const [temporal, ferretdb, bundlePath] = await Promise.all([
    freePort().then((port) =>
      startTemporal({
        port,
        searchAttributes: customSearchAttributes,
        logFile: join(runDir, 'temporal.log'),
        // One namespace per test stack: workflow ids (annual-report-2026, proposal-SIF-2026-001) never meet across files.
        extraArgs: testNamespaces.flatMap((ns) => ['--namespace', ns]),
      }),
    ),
    // Nothing of a test run's data outlives it: PostgreSQL need not fsync.
    freePort().then((port) => startFerretDb({ port, backend: ferretDbBackend(), dataDir: join(runDir, 'ferretdb'), durable: false, logFile: join(runDir, 'ferretdb.log') })),
    writeWorkflowBundle(runDir),
  ]);

  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_MONGODB_URI = ferretdb.uri;
  process.env.TEST_TIME_SKIPPING_SERVER = tools.testServer;
  process.env.TEST_TEMPORAL_CLI = tools.temporal;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_RUN_DIR = runDir;
  (globalThis as Record<string, unknown>).__servers = [temporal, ferretdb];
  console.log(`\n[test] Temporal ${temporal.address}, FerretDB ${ferretdb.uri}, logs in ${runDir} (${Date.now() - started} ms)`);
}
