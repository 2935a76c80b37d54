import { loadConfig } from '../config';
import { describeError } from '../domain/logText';
import { openStore } from '../store';
import { prepareDatabase } from '../store/seed';
import { stopWhenSupervisorEnds } from '../provision/nodeProcess';
import { startApi } from './server';
import { databaseCallLimitMs } from './dependencies';
import { answersRecorded } from './idempotency';

/** The API process: `npm run api` in production, started by `npm start` locally. */
async function main() {
  const config = loadConfig(process.env, 'api');
  const store = openStore(config.mongo.uri, config.mongo.db, { callLimitMs: databaseCallLimitMs });
  await store.ready();
  await prepareDatabase(config, store);
  const api = await startApi(config, store);
  console.log(`API listening on ${config.publicUrl}/api`);
  const stop = async () => {
    await api.close();
    // An answer goes out while it is put on record: its record is not cut off.
    await answersRecorded();
    await store.close();
    process.exit(0);
  };
  // Node and the supervisor drop the promise: a failed close is logged and still ends the process.
  const shutdown = () =>
    void stop().catch((err) => {
      console.error(describeError(err));
      process.exit(1);
    });
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  stopWhenSupervisorEnds(shutdown);
}

main().catch((err) => {
  console.error(describeError(err));
  process.exit(1);
});
