import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createActivities, type Activities } from '../../activities';
import { openStore } from '../../store';
import { prepareDatabase } from '../../store/seed';
import { loadConfig, type Config } from '../../config';
import { temporalDataConverter } from '../../config/temporal';
import { outboxDelivery } from '../../worker/outboxDelivery';
import { proposalSchema, type ProposalInput } from '../../domain/proposal';
import { workflowIdFor, type LifecycleInput } from '../../workflows/input';
import { testPayloadKeys } from './payloadKeys';
import { testServers, uniqueName } from './servers';
import { startSmtpPeer } from './smtpPeer';
import { startTimeSkippingServer } from './timeSkippingServer';

export { startTimeSkippingServer };

/**
 * Temporal's time-skipping test server with the real activities, FerretDB and an
 * SMTP peer: for paths where weeks, months or years pass.
 */
export async function startTimeSkippingStack(
  name: string,
  configure: (config: Config) => void = () => {},
  /** Activities in place of some of the real ones, given the real ones: to make a step fail as a database or a worker would. */
  replace: (real: Activities) => Partial<Activities> = () => ({}),
) {
  const servers = testServers();
  const smtp = await startSmtpPeer();
  const config = loadConfig({
    MONGODB_URI: servers.mongodbUri,
    MONGODB_DB: uniqueName(name),
    AUTH_JWT_SECRET: randomBytes(16).toString('hex'),
    PUBLIC_URL: 'https://fond.example.dk',
    PAYLOAD_KEYS: testPayloadKeys,
  });
  // Encrypted as in production: the worker and the test's client share the codec.
  const dataConverter = temporalDataConverter(config);
  const env = await startTimeSkippingServer(dataConverter);
  const store = openStore(config.mongo.uri, config.mongo.db);
  await store.ready();
  await prepareDatabase(config, store);
  configure(config);
  const taskQueue = uniqueName(name);
  const mailer = nodemailer.createTransport(smtp.url);
  // The worker process's delivery loop, on the wall clock: mail goes out while the server's clock stands still.
  const delivery = outboxDelivery(store, { settings: config.notifications, mailFrom: config.mail.from, mailer, webhook: config.webhook });
  const activities = createActivities(store, config, mailer, delivery.wake);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: servers.workflowBundle },
    activities: { ...activities, ...replace(activities) },
    dataConverter,
  });
  delivery.start();
  const running = worker.run();

  /** Stores the proposal as the API would and starts its lifecycle. */
  async function startProposal(proposalId: string, input: ProposalInput) {
    const proposal = proposalSchema.parse(input);
    await store.proposals.create({ _id: proposalId, workflowId: workflowIdFor(proposalId), content: proposal, stage: 'Motivation', stageSeq: 0, createdBy: 'sara.secretariat' });
    const args: LifecycleInput = {
      proposalId,
      createdBy: 'sara.secretariat',
      summary: {
        title: proposal.title,
        welfareArea: proposal.welfareArea,
        fundingTrack: proposal.fundingTrack,
        responsibleDepartment: proposal.responsibleDepartment,
        requestedOre: proposal.businessCase?.requestedFromFund ?? 0,
      },
      deadlines: config.deadlines,
    };
    return env.client.workflow.start('proposalLifecycle', { taskQueue, workflowId: workflowIdFor(proposalId), args: [args] });
  }

  return {
    env,
    store,
    smtp,
    config,
    startProposal,
    taskQueue,
    delivery,
    async stop() {
      worker.shutdown();
      await running;
      await delivery.stop();
      mailer.close();
      await smtp.close();
      await store.conn.dropDatabase();
      await store.close();
      await env.teardown();
    },
  };
}
export type TimeSkippingStack = Awaited<ReturnType<typeof startTimeSkippingStack>>;
