import { connect, createServer, type Server, type Socket } from 'node:net';
import { openStore } from '../../store';
import { freePort } from '../../provision/servers';
import { testServers, uniqueName } from '../support/servers';

/**
 * An API or worker process started before its database answers (a machine starting
 * everything at once, the database restarting, a busy machine slow to answer) waits
 * for it rather than failing at once; past its wait it fails, for the supervisor to
 * restart it. The database is put behind a TCP relay that is opened late.
 */
describe('starting before the database answers', () => {
  const relays: Server[] = [];
  afterAll(() => relays.forEach((r) => r.close()));

  /** Forwards `port` to the test database once opened. */
  function relayTo(port: number): Promise<void> {
    const target = new URL(testServers().mongodbUri);
    const relay = createServer((client: Socket) => {
      const server = connect(Number(target.port), target.hostname);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    relays.push(relay);
    return new Promise((resolve) => relay.listen(port, '127.0.0.1', () => resolve()));
  }

  it('connects once the database answers, though that is after the first try gave up', async () => {
    const port = await freePort();
    const store = openStore(`mongodb://127.0.0.1:${port}/`, uniqueName('startup'));
    const started = Date.now();
    // Opened after two of the driver's tries (2 s each) have found nothing.
    const opened = new Promise((resolve) => setTimeout(resolve, 5_000)).then(() => relayTo(port));
    await store.ready(30_000);
    await opened;
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    await store.users.create({ _id: 'late.starter', name: 'Sen Start', email: 'sen@example.dk', roles: [], active: true });
    expect(await store.users.countDocuments()).toBe(1);
    await store.conn.dropDatabase();
    await store.close();
  });

  it('fails once its wait is over', async () => {
    const store = openStore(`mongodb://127.0.0.1:${await freePort()}/`, uniqueName('startup'));
    const started = Date.now();
    await expect(store.ready(3_000)).rejects.toMatchObject({ name: 'MongooseServerSelectionError' });
    expect(Date.now() - started).toBeLessThan(10_000);
    await store.close();
  });
});
