import { loadConfig } from '../../config';

/** The environment as operators set it: mistakes stop the process with the variable named. */
describe('configuration from the environment', () => {
  const local = { AUTH_JWT_SECRET: 'a-local-secret' };

  it('signs in to the pages through OIDC only when an issuer is configured, with openid as the default scope', () => {
    expect(loadConfig(local).oidc).toBeUndefined();
    const oidc = { OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif', OIDC_CLIENT_ID: 'sif-pages', OIDC_CLIENT_SECRET: 's3cret' };
    expect(loadConfig({ ...local, ...oidc }).oidc).toEqual({ issuer: oidc.OIDC_ISSUER_URL, clientId: 'sif-pages', clientSecret: 's3cret', scopes: 'openid' });
    expect(loadConfig({ ...local, ...oidc, OIDC_SCOPES: 'openid email' }).oidc?.scopes).toBe('openid email');
  });

  it('refuses an OIDC issuer without its client, and an issuer that is not a URL', () => {
    expect(() => loadConfig({ ...local, OIDC_ISSUER_URL: 'https://login.aarhus.dk' })).toThrow(/OIDC_ISSUER_URL needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    expect(() => loadConfig({ ...local, OIDC_ISSUER_URL: 'login', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' })).toThrow(/OIDC_ISSUER_URL/);
  });

  it("bounds the worker's cache and concurrency, by default for a 2-core, 4 GiB container", () => {
    expect(loadConfig(local).worker).toEqual({ maxCachedWorkflows: 200, maxConcurrentWorkflowTaskExecutions: 20, maxConcurrentActivityTaskExecutions: 20 });
    expect(loadConfig({ ...local, WORKER_MAX_CACHED_WORKFLOWS: '50' }).worker.maxCachedWorkflows).toBe(50);
    expect(() => loadConfig({ ...local, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(/WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
  });

  it('turns on the password-less sign-in page only when asked, and never where the settings look like production', () => {
    expect(loadConfig(local).auth.localSignIn).toBe(false);
    expect(loadConfig({ ...local, LOCAL_SIGN_IN: 'true' }).auth.localSignIn).toBe(true);
    const oidc = { OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif', OIDC_CLIENT_ID: 'sif-pages', OIDC_CLIENT_SECRET: 's3cret' };
    for (const production of [{ NODE_ENV: 'production' }, { PUBLIC_URL: 'https://fond.aarhus.dk' }, oidc, { AUTH_JWKS_URL: 'https://login.aarhus.dk/jwks' }]) {
      expect(() => loadConfig({ ...local, ...production, LOCAL_SIGN_IN: 'true' })).toThrow(/LOCAL_SIGN_IN=true .* production-like/);
      expect(loadConfig({ ...local, ...production }).auth.localSignIn).toBe(false);
    }
    expect(() => loadConfig({ ...local, LOCAL_SIGN_IN: 'yes' })).toThrow(/LOCAL_SIGN_IN/);
  });

  it('ends sessions after the idle and the absolute timeout, by default 30 minutes and 8 hours', () => {
    expect(loadConfig(local).sessions).toEqual({ idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 });
    expect(loadConfig({ ...local, SESSION_IDLE_TIMEOUT: '15 minutes', SESSION_ABSOLUTE_TIMEOUT: '4 hours' }).sessions).toEqual({ idleMs: 15 * 60_000, absoluteMs: 4 * 3_600_000 });
    expect(() => loadConfig({ ...local, SESSION_IDLE_TIMEOUT: 'soon' })).toThrow(/SESSION_IDLE_TIMEOUT/);
    expect(() => loadConfig({ ...local, SESSION_IDLE_TIMEOUT: '9 hours' })).toThrow(/SESSION_IDLE_TIMEOUT must not be longer than SESSION_ABSOLUTE_TIMEOUT/);
  });

  it('needs a way to verify tokens, and a secret to sign webhooks', () => {
    expect(() => loadConfig({})).toThrow(/AUTH_JWKS_URL .* or AUTH_JWT_SECRET/);
    expect(() => loadConfig({ ...local, WEBHOOK_URL: 'https://hooks.example.dk' })).toThrow(/WEBHOOK_URL needs WEBHOOK_SECRET/);
  });
});
