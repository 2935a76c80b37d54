import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import { temporalConnectionOptions } from '../config/temporal';
import { createActivities } from '../activities';
import type { Store } from '../store';

/**
 * A worker for the fund's task queue. Tests hand in a prebuilt workflow bundle
 * (bundling takes seconds); processes bundle from source.
 */
export async function createWorker(
  config: Config,
  store: Store,
  opts: { workflowBundle?: WorkerOptions['workflowBundle']; connection?: NativeConnection; taskQueue?: string } = {},
) {
  const connection = opts.connection ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  const mailer = config.mail.smtpUrl ? nodemailer.createTransport(config.mail.smtpUrl) : undefined;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: opts.taskQueue ?? config.temporal.taskQueue,
    activities: createActivities(store, config, mailer),
    ...config.worker,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
  return {
    worker,
    async close() {
      mailer?.close();
      if (!opts.connection) await connection.close();
    },
  };
}
