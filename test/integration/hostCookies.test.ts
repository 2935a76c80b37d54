import express from 'express';
import type { Server } from 'node:http';
import { openStore, type Store } from '../../store';
import { sessions } from '../../api/pages/session';
import { testServers, uniqueName } from '../support/servers';

/**
 * The pages' cookies on a site served over https, as the browser is told to keep them:
 * `__Host-` names, which a browser takes only from this host (Secure, the whole site, no
 * Domain), so a sibling site under the same parent domain cannot plant a session or a CSRF
 * token here. Over http (local runs, the other tests) they keep their plain names.
 */
describe('the pages’ cookies on https', () => {
  let store: Store;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('host-cookies'));
    await store.ready();
    await store.users.create({ _id: 'sara.secretariat', name: 'Sara Friis', email: 'sara@example.dk', roles: ['secretariat'], active: true });
    const session = sessions({ store, timeouts: { idleMs: 3_600_000, absoluteMs: 8 * 3_600_000 }, secure: true });
    const app = express();
    app.use((req, res, next) => void session.middleware(req, res, next).catch(next));
    app.post('/sign-in', (req, res, next) => void session.signIn(req, res, 'sara.secretariat').then(() => res.end(), next));
    app.get('/', (req, res) => res.send(req.pageUser?.actor.userId ?? 'nobody'));
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
  });

  it('names the CSRF and session cookies __Host-, Secure, for the whole site and no Domain, and reads only those', async () => {
    const visitor = await fetch(`${url}/`);
    expect(visitor.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sif_csrf=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);

    const signedIn = await fetch(`${url}/sign-in`, { method: 'POST' });
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-sif_session='))!;
    expect(cookie).toMatch(/^__Host-sif_session=[A-Za-z0-9_-]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    const id = cookie.split(';')[0].split('=')[1];
    expect(await (await fetch(`${url}/`, { headers: { cookie: `__Host-sif_session=${id}` } })).text()).toBe('sara.secretariat');
    // The plain name, as a sibling site could set it for this host, signs nobody in here.
    expect(await (await fetch(`${url}/`, { headers: { cookie: `sif_session=${id}` } })).text()).toBe('nobody');
  });
});
