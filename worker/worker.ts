import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { mailTransport } from './mailTransport';
import type { Config } from '../config';
import { temporalConnectionOptions, temporalDataConverter } from '../config/temporal';
import { createActivities } from '../activities';
import { describeError } from '../domain/logText';
import type { Store } from '../store';
import { retention as dataRetention } from './retention';
import { outboxDelivery } from './outboxDelivery';
import { bundleInChildProcess } from './workflowBundle';

/**
 * A worker for the fund's task queue, with the outbox's delivery loop and the access
 * log's retention beside it (started here, stopped by close). Tests hand in a prebuilt
 * workflow bundle (bundling takes seconds); processes bundle from source, in a child process.
 */
export async function createWorker(
  config: Config,
  store: Store,
  opts: { workflowBundle?: WorkerOptions['workflowBundle']; connection?: NativeConnection; taskQueue?: string } = {},
) {
  const connection = opts.connection ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  const mailer = config.mail.smtpUrl ? mailTransport(config.mail.smtpUrl) : undefined;
  const delivery = outboxDelivery(store, {
    settings: config.notifications,
    mailFrom: config.mail.from,
    mailer,
    webhook: config.webhook,
    onError: (err) => console.error('outbox delivery:', describeError(err)),
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: opts.taskQueue ?? config.temporal.taskQueue,
    activities: createActivities(store, config, mailer, delivery.wake),
    dataConverter: temporalDataConverter(config),
    ...config.worker,
    workflowBundle: opts.workflowBundle ?? (await bundleInChildProcess()),
  });
  const retention = dataRetention(store, {
    settings: config.dataProtection,
    onError: (err) => console.error('retention:', describeError(err)),
  });
  delivery.start();
  retention.start();
  return {
    worker,
    delivery,
    async close() {
      await Promise.all([delivery.stop(), retention.stop()]);
      mailer?.close();
      if (!opts.connection) await connection.close();
    },
  };
}
