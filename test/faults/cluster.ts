import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { signLocalToken } from '../../api/auth';
import { loadConfig } from '../../config';
import { newPayloadKey } from '../../config/payloadKeys';
import { temporalDataConverter } from '../../config/temporal';
import { openStore, type Store } from '../../store';
import { startNodeProcess } from '../../provision/nodeProcess';
import { freePort, startFerretDb, startTemporal, type FerretDbServer, type TemporalServer } from '../../provision/servers';
import type { Supervised } from '../../provision/supervisor';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../support/smtpPeer';

/**
 * The production topology on one machine, every part a process of its own that a
 * test may kill and start again on the same port and data: a Temporal dev server
 * (SQLite file), FerretDB (SQLite directory), worker and API processes as `npm start`
 * runs them, a real SMTP peer and a webhook receiver. Nothing here is shared with the
 * rest of the suite, so killing it disturbs no other test file.
 */
export async function startCluster(name: string) {
  const runsDir = resolve(__dirname, '../../.data/test-runs');
  mkdirSync(runsDir, { recursive: true });
  const dir = mkdtempSync(join(runsDir, `${name}-`));
  const processLog = join(dir, 'processes.log');
  const out = (line: string) => appendFileSync(processLog, `${new Date().toISOString()} ${line}\n`);
  const note = (line: string) => out(`[test] ${line}`);

  const [temporalPort, ferretPort, smtpPort, webhookPort] = [await freePort(), await freePort(), await freePort(), await freePort()];

  // Outbox delivery at test pace: a failed send is tried again within seconds, and an
  // entry whose sender died mid-send is taken over after a short lease.
  const settings = JSON.parse(readFileSync(resolve(__dirname, '../../config/settings.json'), 'utf8'));
  settings.notifications = { pollEvery: '1 second', lease: '15 seconds', firstRetry: '1 second', maxRetryInterval: '2 seconds', giveUpAfter: '1 hour' };
  const settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  // For the timer scenario: deadlines that come due while Temporal is down.
  const shortDeadlines = JSON.parse(JSON.stringify(settings));
  for (const k of Object.keys(shortDeadlines.deadlines)) shortDeadlines.deadlines[k] = '20 seconds';
  shortDeadlines.deadlines.reminderBefore = '10 seconds';
  const shortSettingsFile = join(dir, 'settings-short.json');
  writeFileSync(shortSettingsFile, JSON.stringify(shortDeadlines, null, 2));

  const startT = () =>
    startTemporal({ port: temporalPort, dbFile: join(dir, 'temporal.db'), searchAttributes: customSearchAttributes, logFile: join(dir, 'temporal.log'), startTimeoutMs: 120_000 });
  const startF = () => startFerretDb({ port: ferretPort, dataDir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log'), startTimeoutMs: 60_000 });
  let temporal: TemporalServer;
  let ferret: FerretDbServer;
  [temporal, ferret] = await Promise.all([startT(), startF()]);

  let smtp: SmtpPeer = await startSmtpPeer(smtpPort);
  /** Everything the SMTP peer received, across its restarts. */
  const mails: ReceivedMail[] = [];
  const smtpArchive = () => {
    mails.push(...smtp.inbox.splice(0));
    return mails;
  };

  const webhook = await startWebhookReceiver(webhookPort);

  const secret = randomBytes(32).toString('hex');
  const payloadKeys = newPayloadKey('faults');
  const db = `faults-${Date.now().toString(36)}`;
  const taskQueue = 'faults';
  const baseEnv = (port: number, settingsPath = settingsFile): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'WARN',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    MONGODB_URI: ferret.uri,
    MONGODB_DB: db,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AUTH_JWT_SECRET: secret,
    PAYLOAD_KEYS: payloadKeys,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/hook`,
    WEBHOOK_SECRET: 'faults-webhook-secret',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SIF_SETTINGS: settingsPath,
    // A small machine: two workers side by side must not starve the servers.
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
    WORKER_MAX_CONCURRENT_ACTIVITIES: '8',
  });

  /** A worker or API process that can be killed and started again under the same name. */
  function processSlot(kind: 'worker' | 'api', slotName: string, settingsPath?: string) {
    let current: Supervised | undefined;
    let expectedExit = false;
    const unexpected: string[] = [];
    let port = 0;
    return {
      name: slotName,
      get url() {
        return `http://127.0.0.1:${port}`;
      },
      get pid() {
        return current?.pid;
      },
      unexpectedExits: unexpected,
      async start() {
        if (kind === 'api' && port === 0) port = await freePort();
        const script = kind === 'worker' ? 'worker/main.ts' : 'api/main.ts';
        const ready = kind === 'worker' ? /^worker polling / : /^API listening /;
        const started = Date.now();
        current = await startNodeProcess(slotName, script, baseEnv(port, settingsPath), ready, out, 180_000);
        note(`${slotName} ready (pid ${current.pid}) after ${Date.now() - started} ms`);
        expectedExit = false;
        const me = current;
        void me.exited.then((e) => {
          if (!expectedExit && current === me) {
            unexpected.push(JSON.stringify(e));
            note(`${slotName} ended unexpectedly: ${JSON.stringify(e)}`);
          }
        });
      },
      /** SIGKILL: no graceful shutdown, whatever it was doing is cut off. */
      async kill() {
        if (!current) return;
        expectedExit = true;
        note(`killing ${slotName} (pid ${current.pid})`);
        process.kill(current.pid, 'SIGKILL');
        await current.exited;
        current = undefined;
      },
      async stop() {
        if (!current) return;
        expectedExit = true;
        await current.stop();
        current = undefined;
      },
    };
  }
  type Slot = ReturnType<typeof processSlot>;
  const slots: Slot[] = [];
  const slot = (kind: 'worker' | 'api', slotName: string, settingsPath?: string) => {
    const s = processSlot(kind, slotName, settingsPath);
    slots.push(s);
    return s;
  };

  // The test's own view of Temporal and the database, for the invariants.
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default', dataConverter: temporalDataConverter(loadConfig(baseEnv(0))) });
  const store: Store = openStore(ferret.uri, db);

  const tokens = new Map<string, string>();
  async function token(userId: string) {
    if (!tokens.has(userId)) tokens.set(userId, await signLocalToken(secret, userId));
    return tokens.get(userId)!;
  }

  return {
    dir,
    note,
    client,
    store,
    token,
    webhook,
    shortSettingsFile,
    slot,
    get temporal() {
      return temporal;
    },
    get smtpUrl() {
      return smtp.url;
    },
    mails: smtpArchive,
    async killFerretDb() {
      note(`killing FerretDB (pid ${ferret.pid})`);
      process.kill(ferret.pid, 'SIGKILL');
      await ferret.exited;
    },
    async startFerretDb() {
      ferret = await startF();
      note(`FerretDB back (pid ${ferret.pid})`);
    },
    async stopTemporal() {
      note(`stopping Temporal (pid ${temporal.pid})`);
      await temporal.stop();
    },
    async startTemporal() {
      temporal = await startT();
      note(`Temporal back (pid ${temporal.pid})`);
    },
    async stopSmtp() {
      smtpArchive();
      await smtp.close();
      note('SMTP peer down');
    },
    async startSmtp() {
      smtp = await startSmtpPeer(smtpPort);
      note('SMTP peer up');
    },
    /** Worker and API exits nobody asked for. */
    unexpectedExits: () => slots.flatMap((s) => s.unexpectedExits.map((e) => `${s.name}: ${e}`)),
    async stop() {
      await Promise.allSettled(slots.map((s) => s.stop()));
      await connection.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await smtp.close().catch(() => undefined);
      await webhook.close();
      await Promise.allSettled([temporal.stop(), ferret.stop()]);
      // The logs stay for a look afterwards; the servers' data go.
      rmSync(join(dir, 'ferretdb'), { recursive: true, force: true });
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `temporal.db${suffix}`), { force: true });
    },
  };
}
export type Cluster = Awaited<ReturnType<typeof startCluster>>;

/** A webhook receiver that keeps each delivery's id (x-sif-delivery); it can be taken down and brought back on its port. */
async function startWebhookReceiver(port: number) {
  const received: { id: string; body: string }[] = [];
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolveListen, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ id: String(req.headers['x-sif-delivery'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(204).end();
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolveListen();
      });
    });
  const close = () =>
    new Promise<void>((resolveClose) => {
      if (!server) return resolveClose();
      const s = server;
      server = undefined;
      s.close(() => resolveClose());
      s.closeAllConnections();
    });
  await listen();
  return { received, up: listen, down: close, close };
}
