import { loadConfig } from '../config';
import { openStore } from '../store';
import { prepareDatabase } from '../store/seed';
import { startApi } from './server';

/** The API process: `npm run api` in production, started by `npm start` locally. */
async function main() {
  const config = loadConfig();
  const store = openStore(config.mongo.uri, config.mongo.db);
  await store.ready();
  await prepareDatabase(config, store);
  const api = await startApi(config, store);
  console.log(`API listening on ${config.publicUrl}/api`);
  const stop = async () => {
    await api.close();
    await store.close();
    process.exit(0);
  };
  // Node drops a listener's promise: a failed close is logged and still ends the process.
  const onSignal = () =>
    void stop().catch((err) => {
      console.error(err);
      process.exit(1);
    });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
