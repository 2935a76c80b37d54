import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../provision/servers';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, person, screenshot, seriousA11yViolations } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * Production sign-in: OpenID Connect authorization code flow with PKCE against a
 * real issuer (oidc-provider in a process of its own), in Chromium. Local sign-in
 * is off, as it is when AUTH_JWKS_URL names the issuer's keys.
 */
describe('sign-in with OpenID Connect, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let issuer: ChildProcess;
  let issuerUrl: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    issuerUrl = `http://127.0.0.1:${port}`;
    const clientSecret = randomBytes(24).toString('hex');
    const oidcEnv = { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: 'sif-pages', OIDC_CLIENT_SECRET: clientSecret };
    [stack, browser] = await Promise.all([
      startStack('oidc', { AUTH_JWKS_URL: `${issuerUrl}/jwks`, AUTH_ISSUER: issuerUrl, AUTH_AUDIENCE: 'sif-pages', ...oidcEnv }),
      launchChromium(),
    ]);
    issuer = spawn(process.execPath, [join(__dirname, 'support/oidcIssuer.mjs'), String(port), 'sif-pages', clientSecret, `${stack.config.publicUrl}/auth/callback`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Its warnings about development-only keys, storage and login screens are what this test wants; errors still show.
    issuer.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString().replace(/^oidc-provider WARNING:.*\n?/gm, '');
      if (text.trim()) process.stderr.write(text);
    });
    await new Promise<void>((resolve, reject) => {
      issuer.once('exit', (code) => reject(new Error(`the OIDC issuer exited with ${code}`)));
      issuer.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
  });
  afterAll(async () => {
    issuer?.kill('SIGTERM');
    await browser?.close();
    await stack?.stop();
    delete process.env.OIDC_ISSUER_URL;
  });

  /** The issuer's development login screen: any login name, any password; then consent. */
  async function signInAtIssuer(page: Page, login: string) {
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/interaction\/|\/auth\/|\/sign-in|\/fund/);
    if (/\/interaction\//.test(page.url())) await page.click('button[type="submit"]'); // consent
  }

  it('signs a seeded user in through the issuer and back to the page they asked for', async () => {
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/fund`);
    expect(page.url()).toBe(`${stack.api.url}/sign-in?next=%2Ffund`);
    expect(await page.getByText('Kun til lokal kørsel').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-oidc');

    await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    await signInAtIssuer(page, 'bo.member');
    await page.waitForURL(`${stack.api.url}/fund`);
    await hasText(page.locator('h1'), 'Fonden');
    await shows(page.getByText('Logget ind som Bo Lind'));
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sif_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('refuses a subject that is no user here, and a callback it did not start', async () => {
    const stranger = await person(browser, cspViolations);
    await stranger.page.goto(`${stack.api.url}/sign-in`);
    await stranger.page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    await signInAtIssuer(stranger.page, 'someone.else');
    await stranger.page.waitForURL(/\/sign-in\?unknown=/);
    await shows(stranger.page.getByText('Brugeren someone.else findes ikke, er ikke aktiv eller har ingen rolle i systemet.'));
    await stranger.page.goto(`${stack.api.url}/`);
    expect(stranger.page.url()).toContain('/sign-in');

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const forger = await person(browser, cspViolations);
    await forger.page.goto(`${stack.api.url}/auth/callback?code=stolen&state=guessed`);
    expect(forger.page.url()).toBe(`${stack.api.url}/sign-in?error=failed&next=%2F`);
    await shows(forger.page.getByText('Login mislykkedes. Prøv igen.'));
    expect(warn).toHaveBeenCalledWith('OIDC sign-in failed: Error: no sign-in in progress, or it has expired');
    warn.mockRestore();
  });

  it('refuses a callback whose state is not the one its sign-in sent', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/sign-in?next=%2Ffund`);
    await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//); // the sign-in is pending now
    await page.goto(`${stack.api.url}/auth/callback?code=stolen&state=guessed`);
    expect(page.url()).toBe(`${stack.api.url}/sign-in?error=failed&next=%2Ffund`);
    // The check that failed, not the state the callback brought.
    expect(warn).toHaveBeenCalledWith('OIDC sign-in failed: RPError: state mismatch');
    warn.mockRestore();
  });

  /** A sign-in this browser started and the issuer has not answered yet: the page, and the state the issuer will send back. */
  async function signInStarted() {
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/sign-in?next=%2Ffund`);
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${issuerUrl}/auth?`));
    await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    return { page, state: new URL((await authorize).url()).searchParams.get('state')! };
  }

  it("logs the issuer's error code for a refused sign-in, never its description, which may name the person", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { page, state } = await signInStarted();
    const refused = new URLSearchParams({ error: 'access_denied', error_description: 'Jens Hansen (jens@example.dk, 010190-1234) har ikke adgang', state, iss: issuerUrl });
    await page.goto(`${stack.api.url}/auth/callback?${refused.toString()}`);
    expect(page.url()).toBe(`${stack.api.url}/sign-in?error=failed&next=%2Ffund`);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(['OIDC sign-in failed: access_denied']);
    warn.mockRestore();
  });

  it('asks the person to sign in again shortly (503) when the issuer cannot give the tokens, and signs them in once it can', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tokenOutage = (state: 'on' | 'off') => fetch(`${issuerUrl}/test/token-outage`, { method: 'PUT', body: state });
    const { page } = await person(browser, cspViolations);
    await page.goto(`${stack.api.url}/sign-in?next=%2Ffund`);
    await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    await tokenOutage('on');
    const callback = page.waitForResponse((r) => r.url().startsWith(`${stack.api.url}/auth/callback`));
    await signInAtIssuer(page, 'bo.member');
    const answer = await callback;
    expect(answer.status()).toBe(503);
    expect(answer.headers()['retry-after']).toBe('5');
    await shows(page.getByText('Login kunne ikke gennemføres, fordi kommunens login eller systemet ikke svarer lige nu.', { exact: false }));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^OIDC sign-in could not finish, a service is down: OPError: expected 200 OK, got: 503/));
    expect((await page.context().cookies()).find((c) => c.name === 'sif_session')).toBeUndefined();

    await tokenOutage('off');
    await page.getByRole('link', { name: 'Log ind igen' }).click();
    await page.waitForURL(`${stack.api.url}/sign-in?next=%2Ffund`);
    await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
    // The issuer remembers the person's login: straight back to the page they asked for.
    await page.waitForURL(/\/interaction\/|\/fund$/);
    if (/\/interaction\//.test(page.url())) await signInAtIssuer(page, 'bo.member');
    await page.waitForURL(`${stack.api.url}/fund`);
    await shows(page.getByText('Logget ind som Bo Lind'));
    warn.mockRestore();
  });

  it('takes an issuer that sends the person back saying it is in trouble for an outage, not a failed sign-in', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { page, state } = await signInStarted();
    // What the issuer's sign-in sends back when it cannot serve (RFC 6749 §4.1.2.1), for the sign-in this browser started.
    const answer = await page.goto(`${stack.api.url}/auth/callback?${new URLSearchParams({ error: 'temporarily_unavailable', state, iss: issuerUrl }).toString()}`);
    expect(answer!.status()).toBe(503);
    await shows(page.getByRole('link', { name: 'Log ind igen' }));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^OIDC sign-in could not finish, a service is down: temporarily_unavailable/));
    warn.mockRestore();
  });

  it('met no Content-Security-Policy violation on our pages', () => {
    // The issuer's own pages are not ours; only violations on this site count.
    expect(cspViolations.filter((v) => v.startsWith(stack.api.url))).toEqual([]);
  });
});
