import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { Store } from '../store';
import type { Config } from '../config';
import { payloadEncryption, temporalConnectionOptions, temporalDataConverter } from '../config/temporal';
import { createApp } from './app';
import { lifecycleClient } from './lifecycle';

/** Starts the HTTP API on config.port (0 picks a free port); returns how to reach and stop it. */
export async function startApi(config: Config, store: Store, opts: { taskQueue?: string } = {}) {
  const codec = payloadEncryption(config);
  // Connected on first use: an API started while Temporal is down (a deploy, a drained node) starts and serves what
  // the read model holds, and answers 503 for the rest until Temporal is back, rather than exiting and restarting for ever.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config, codec) });
  const { app, routes } = createApp({
    config,
    store,
    lifecycle: lifecycleClient(client, opts.taskQueue ?? config.temporal.taskQueue),
    codec,
    health: { store, client, taskQueue: opts.taskQueue ?? config.temporal.taskQueue, temporalHealthy: () => connection.healthService.check({}) },
  });
  // Express 5 hands a failed listen (the port taken) to this callback: without a look at it, the
  // API said it was listening while another process answered on its port.
  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, '0.0.0.0', (err?: Error) => (err ? reject(err) : resolve(s)));
  }).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** The Express app and the routes it was built from, for tests that hold it to its document. */
    app,
    routes,
    client,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
