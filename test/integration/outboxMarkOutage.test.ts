import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { createActivities } from '../../activities';
import { loadConfig } from '../../config';
import { freePort, startFerretDb, type FerretDbServer } from '../../provision/servers';
import { openStore, type Store } from '../../store';
import { prepareDatabase } from '../../store/seed';
import { outboxDelivery } from '../../worker/outboxDelivery';
import { eventually } from '../support/eventually';
import { startSmtpPeer, type SmtpPeer } from '../support/smtpPeer';

/**
 * A mail the SMTP server took while the database went down, on a FerretDB of this file's
 * own (killed and started again on its port and data): the deliverer cannot mark it sent,
 * keeps its claim, and marks it once the database is back. Before, it let the claim go
 * after a few tries, and the next deliverer sent the mail again once the lease ran out.
 */
describe('a mail handed over as the database goes down', () => {
  let dir: string;
  let ferret: FerretDbServer;
  let store: Store;
  let smtp: SmtpPeer;
  let mailer: Transporter;
  const leaseMs = 40_000;
  // Longer than the deliverer's tries before this change took (about 14 s against a database that does not answer).
  const downMs = 18_000;

  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await store?.close();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is marked sent once the database is back, and not sent again when its lease runs out', async () => {
    // Reachable by the server's account, so its data stays here and is removed with the folder.
    dir = mkdtempSync(join(tmpdir(), 'sif-outbox-mark-'));
    chmodSync(dir, 0o755);
    const port = await freePort();
    const start = () => startFerretDb({ port, dataDir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log'), startTimeoutMs: 60_000 });
    ferret = await start();
    const config = loadConfig({ MONGODB_URI: ferret.uri, MONGODB_DB: 'outbox-mark', AUTH_JWT_SECRET: 'unused-here', PUBLIC_URL: 'https://fond.example.dk' });
    store = openStore(config.mongo.uri, config.mongo.db);
    await store.ready();
    await prepareDatabase(config, store);

    let down: Promise<unknown> | undefined;
    smtp = await startSmtpPeer(0, {
      beforeAccepting: async () => {
        if (down) return;
        process.kill(ferret.pid, 'SIGKILL');
        down = ferret.exited;
        await down;
      },
    });
    mailer = nodemailer.createTransport(smtp.url);
    const key = 'SIF-2026-900.closed';
    await createActivities(store, config, mailer).notify({ key, event: 'proposalClosed', proposalId: 'SIF-2026-900', to: { users: ['sara.secretariat'] } });
    const id = `${key}.sara.secretariat.email`;
    const settings = { pollEvery: 50, lease: leaseMs, firstRetry: 50, maxRetryInterval: 100, giveUpAfter: 600_000 };
    const claimedAt = Date.now();
    const deliverer = outboxDelivery(store, { settings, mailFrom: config.mail.from, mailer });
    await expect(deliverer.deliverDue()).rejects.toThrow();
    expect(smtp.inbox).toHaveLength(1);

    await new Promise((r) => setTimeout(r, downMs - (Date.now() - claimedAt)));
    ferret = await start();
    await eventually(async () => expect(await store.outbox.findById(id).lean()).toMatchObject({ status: 'sent', attempts: 1 }), 20_000);

    // Past the claim's lease, another deliverer finds nothing to send.
    await new Promise((r) => setTimeout(r, Math.max(0, claimedAt + leaseMs + 500 - Date.now())));
    await outboxDelivery(store, { settings, mailFrom: config.mail.from, mailer }).deliverDue();
    expect(smtp.inbox).toHaveLength(1);
  }, 180_000);
});
