import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDb, type FerretDbServer } from '../../provision/servers';
import { openStore } from '../../store';

/**
 * The embedded database as `npm start` runs it (kept data) must keep every write it
 * acknowledged when it is killed: a step writes a task, then its notice, and is told both
 * are done; the workflow never writes them again. With PostgreSQL's synchronous_commit
 * off, the fault suite's killed database lost the notice and kept the task.
 */
describe('the embedded database killed after acknowledging writes', () => {
  let dir: string;
  let ferret: FerretDbServer | undefined;

  afterAll(async () => {
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every acknowledged write after a restart', async () => {
    // Reachable by the server's account, so its data stays here and is removed with the folder.
    dir = mkdtempSync(join(tmpdir(), 'sif-crash-'));
    chmodSync(dir, 0o755);
    const start = async (port: number) => startFerretDb({ port, dataDir: join(dir, 'ferretdb'), logFile: join(dir, 'ferretdb.log'), startTimeoutMs: 60_000 });
    const port = await freePort();
    ferret = await start(port);
    const store = openStore(ferret.uri, 'crash');
    await store.ready();
    const ids = Array.from({ length: 150 }, (_, i) => `w${i}`);
    // One after another, each answered before the next, as a step's writes are.
    for (const _id of ids) await store.locks.create({ _id, token: 'written', at: new Date() });
    process.kill(ferret.pid, 'SIGKILL');
    await ferret.exited;
    await store.close();

    ferret = await start(port);
    const again = openStore(ferret.uri, 'crash');
    try {
      const kept = (await again.locks.find({}, { _id: 1 }).lean()).map((d) => d._id);
      expect(ids.filter((id) => !kept.includes(id))).toEqual([]);
    } finally {
      await again.close();
    }
  }, 180_000);
});
