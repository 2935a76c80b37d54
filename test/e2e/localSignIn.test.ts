import { randomBytes } from 'node:crypto';
import { freePort } from '../../provision/servers';
import { startNodeProcess } from '../../provision/nodeProcess';
import { testPayloadKeys } from '../support/payloadKeys';
import { openStore } from '../../store';
import { testServers, uniqueName } from '../support/servers';
import { visitor } from '../support/visitor';

/**
 * The sign-in page that lists the users, no password, is for local runs only: the API
 * process as production runs it (`npm run api`) offers it only when LOCAL_SIGN_IN asks
 * for it, and refuses to start when that is asked for in production-like settings.
 */
describe('password-less sign-in only where it is meant', () => {
  const servers = testServers();
  const db = uniqueName('local-sign-in');
  const baseEnv = (port: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    MONGODB_URI: servers.mongodbUri,
    MONGODB_DB: db,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PAYLOAD_KEYS: testPayloadKeys,
  });
  const output: string[] = [];
  const keep = (line: string) => void output.push(line);

  afterAll(async () => {
    const store = openStore(servers.mongodbUri, db);
    await store.conn.dropDatabase().catch(() => undefined);
    await store.close();
  });

  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
    ['an https PUBLIC_URL', { PUBLIC_URL: 'https://fond.aarhus.dk' }],
  ])('refuses to start with LOCAL_SIGN_IN=true and %s, saying why', async (why, production) => {
    const port = await freePort();
    output.length = 0;
    const started = startNodeProcess('api', 'api/main.ts', { ...baseEnv(port), LOCAL_SIGN_IN: 'true', ...production }, /^API listening /, keep, 60_000);
    await expect(started).rejects.toThrow(/ended before it was ready \(code 1\)/);
    expect(output.join('\n')).toContain(`LOCAL_SIGN_IN=true lets anyone sign in as anyone without a password, and these settings are production-like (${why})`);
  });

  it('offers only the issuer when OIDC is configured, even beside a local signing secret', async () => {
    const port = await freePort();
    // What the README's production section once suggested: OIDC for the pages, AUTH_JWT_SECRET for the session cookie.
    // An https address, its scheme written in capitals: the pages' cookies are Secure and host-only (`__Host-`) all the same.
    const env = {
      ...baseEnv(port),
      PUBLIC_URL: 'HTTPS://fond.aarhus.dk',
      OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif',
      OIDC_CLIENT_ID: 'sif-pages',
      OIDC_CLIENT_SECRET: randomBytes(16).toString('hex'),
    };
    const api = await startNodeProcess('api', 'api/main.ts', env, /^API listening /, keep, 120_000);
    try {
      const browser = visitor(`http://127.0.0.1:${port}`);
      const page = await browser.get('/sign-in');
      expect(page.status).toBe(200);
      expect(page.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sif_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);
      expect(page.text).toContain('Log ind med kommunens login');
      expect(page.text).not.toContain('Kun til lokal kørsel');
      expect(page.text).not.toContain('sara.secretariat');

      // Posting the local form anyway, with the visitor's own CSRF token, signs nobody in.
      const posted = await browser.post('/sign-in', { _csrf: browser.cookie('__Host-sif_csrf')!, userId: 'sara.secretariat', next: '/' });
      expect(posted).toMatchObject({ status: 303, location: '/sign-in?error=failed&next=%2F' });
      expect(browser.cookie('__Host-sif_session')).toBeUndefined();
      expect((await browser.get('/')).location).toBe('/sign-in?next=%2F');
    } finally {
      await api.stop();
    }
  });
});
