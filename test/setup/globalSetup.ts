import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTools } from '../../provision/tools';
import { freePort, startFerretDb, startTemporal } from '../../provision/servers';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { testNamespaces } from '../support/namespaces';

/**
 * Starts the real servers once for the whole run, on free ports of their own, so
 * `npm test` runs beside `npm start`. Tests find them through environment variables.
 */
export default async function globalSetup() {
  const started = Date.now();
  const tools = await ensureTools();
  const runsDir = resolve(__dirname, '../../.data/test-runs');
  mkdirSync(runsDir, { recursive: true });
  const runDir = mkdtempSync(join(runsDir, 'run-'));

  const [temporal, ferretdb, bundle] = await Promise.all([
    freePort().then((port) =>
      startTemporal({
        port,
        searchAttributes: customSearchAttributes,
        logFile: join(runDir, 'temporal.log'),
        // One namespace per test stack: workflow ids (annual-report-2026, proposal-SIF-2026-001) never meet across files.
        extraArgs: testNamespaces.flatMap((ns) => ['--namespace', ns]),
      }),
    ),
    freePort().then((port) => startFerretDb({ port, dataDir: join(runDir, 'ferretdb'), logFile: join(runDir, 'ferretdb.log') })),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger }),
  ]);
  const bundlePath = join(runDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_MONGODB_URI = ferretdb.uri;
  process.env.TEST_TIME_SKIPPING_SERVER = tools.testServer;
  process.env.TEST_TEMPORAL_CLI = tools.temporal;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_RUN_DIR = runDir;
  (globalThis as Record<string, unknown>).__servers = [temporal, ferretdb];
  console.log(`\n[test] Temporal ${temporal.address}, FerretDB ${ferretdb.uri}, logs in ${runDir} (${Date.now() - started} ms)`);
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
};
