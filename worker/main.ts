import { loadConfig } from '../config';
import { openStore } from '../store';
import { longestCallMs } from '../store/serialised';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { temporalConnectionOptions, temporalDataConverter } from '../config/temporal';
import { stopWhenSupervisorEnds } from '../provision/nodeProcess';
import { reconciler } from './reconciler';
import { ensureAnnualReportSchedule } from './schedule';
import { createWorker } from './worker';
import { logWithoutPersonalData } from './runtimeLog';
import { describeError } from '../domain/logText';

/** The worker process: `npm run worker` in production, started by `npm start` locally. */
async function main() {
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL ?? 'INFO') as LogLevel, logWithoutPersonalData) });
  const config = loadConfig(process.env, 'worker');
  // An activity's call to a database that never answers ends, and the activity is tried again; its reads of many cases may take seconds.
  const store = openStore(config.mongo.uri, config.mongo.db, { callLimitMs: longestCallMs });
  await store.ready();
  const { worker, close } = await createWorker(config, store);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
  await ensureAnnualReportSchedule(client, config);
  // Cases whose workflow an operator closed in the Temporal UI: once now, then periodically.
  const reconciliation = reconciler(store, client, { config, onError: (err) => console.error('reconciler:', describeError(err)) });
  reconciliation.start();
  stopWhenSupervisorEnds(() => worker.shutdown());
  console.log(`worker polling ${config.temporal.address} namespace ${config.temporal.namespace} queue ${config.temporal.taskQueue}`);
  await worker.run(); // returns after SIGINT/SIGTERM: the SDK shuts down gracefully
  await reconciliation.stop();
  await connection.close();
  await close();
  await store.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(describeError(err));
  process.exit(1);
});
