import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDb, type FerretDbServer } from '../../provision/servers';
import { openStore, type Store } from '../../store';

/**
 * FerretDB v1 holds a pooled PostgreSQL connection for as long as a cursor has rows
 * left, and an update holds one for its read while it takes another for its write.
 * A burst of lists and updates larger than its pool took every connection and waited
 * for ever: after a restart in the fault suite, when every API and worker retried at
 * once, the database stopped answering anything, ping included. Several processes'
 * stores send such a burst here to a private FerretDB, and everything must come back.
 */
describe('the embedded database under a burst of lists and updates from several processes', () => {
  let dir: string;
  let ferret: FerretDbServer;
  const stores: Store[] = [];
  const ids = Array.from({ length: 150 }, (_, i) => `k${i}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sif-burst-'));
    ferret = await startFerretDb({ port: await freePort(), dataDir: join(dir, 'ferretdb'), durable: false, logFile: join(dir, 'ferretdb.log') });
    for (let i = 0; i < 4; i++) stores.push(openStore(ferret.uri, 'burst'));
    await Promise.all(stores.map((s) => s.ready()));
    await stores[0].locks.insertMany(ids.map((_id) => ({ _id, token: 'before', at: new Date(0) })));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 100 lists longer than a batch and 150 conditional updates sent at once', async () => {
    const started = Date.now();
    const [lists, updated] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % stores.length].locks.find({}).lean())),
      Promise.all(ids.map((_id, i) => stores[i % stores.length].locks.updateOne({ _id, token: 'before' }, { $set: { token: 'after' } }))),
    ]);
    expect(lists.map((l) => l.length)).toEqual(lists.map(() => ids.length));
    expect(updated.reduce((n, r) => n + r.modifiedCount, 0)).toBe(ids.length);
    console.log(`100 lists and 150 updates from 4 processes: ${Date.now() - started} ms`);
  }, 90_000);
});
