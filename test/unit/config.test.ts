import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config';

/** The environment as operators set it: mistakes stop the process with the variable named. */
describe('configuration from the environment', () => {
  const local = { AUTH_JWT_SECRET: 'a-local-secret' };
  const settings = JSON.parse(readFileSync(resolve(__dirname, '../../config/settings.json'), 'utf8'));
  /** The environment with a settings file: the shipped one with `changes` over it. */
  const withSettings = (changes: Record<string, unknown>) => {
    const file = join(mkdtempSync(join(tmpdir(), 'sif-settings-')), 'settings.json');
    writeFileSync(file, JSON.stringify({ ...settings, ...changes }));
    return { ...local, SIF_SETTINGS: file };
  };

  it('signs in to the pages through OIDC only when an issuer is configured, with openid as the default scope', () => {
    expect(loadConfig(local).oidc).toBeUndefined();
    const oidc = { OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif', OIDC_CLIENT_ID: 'sif-pages', OIDC_CLIENT_SECRET: 's3cret' };
    expect(loadConfig({ ...local, ...oidc }).oidc).toEqual({ issuer: oidc.OIDC_ISSUER_URL, clientId: 'sif-pages', clientSecret: 's3cret', scopes: 'openid' });
    expect(loadConfig({ ...local, ...oidc, OIDC_SCOPES: 'openid email' }).oidc?.scopes).toBe('openid email');
  });

  it('refuses a people file where two people share an e-mail address, by which the Temporal UI knows a person', () => {
    const people = JSON.parse(readFileSync(resolve(__dirname, '../../config/people.json'), 'utf8')) as { users: { email: string }[] };
    people.users[1].email = people.users[0].email.toUpperCase();
    const file = join(mkdtempSync(join(tmpdir(), 'sif-people-')), 'people.json');
    writeFileSync(file, JSON.stringify(people));
    expect(() => loadConfig({ ...local, SIF_PEOPLE: file })).toThrow(/two people share an e-mail address/);
    expect(loadConfig(local).people.users.length).toBeGreaterThan(1);
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
    const jwks = { AUTH_JWKS_URL: 'https://login.aarhus.dk/jwks', AUTH_AUDIENCE: 'sif-api' };
    const deployed = { NODE_ENV: 'production', SMTP_URL: 'smtps://fond@smtp.aarhus.dk:465', PUBLIC_URL: 'https://fond.aarhus.dk', ...oidc, ...jwks };
    for (const production of [deployed, { PUBLIC_URL: 'https://fond.aarhus.dk' }, oidc, jwks]) {
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

  it('takes a mail server only as an smtp:// or smtps:// URL, so a worker never starts on one it cannot read', () => {
    expect(loadConfig({ ...local, SMTP_URL: 'smtps://fond:p%2Fss@smtp.aarhus.dk:465' }).mail.smtpUrl).toBe('smtps://fond:p%2Fss@smtp.aarhus.dk:465');
    expect(() => loadConfig({ ...local, SMTP_URL: 'smtp.aarhus.dk:25' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ ...local, SMTP_URL: 'smtps://fond:p/ss@smtp.aarhus.dk:465' })).toThrow(/SMTP_URL/);
  });

  it('starts in production only with what each process needs: the worker a way to deliver, the API sign-in and tokens from the identity provider; both an https address', () => {
    const deployed = {
      NODE_ENV: 'production',
      SMTP_URL: 'smtps://fond@smtp.aarhus.dk:465',
      PUBLIC_URL: 'https://fond.aarhus.dk',
      OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif',
      OIDC_CLIENT_ID: 'sif-pages',
      OIDC_CLIENT_SECRET: 's3cret',
      AUTH_JWKS_URL: 'https://login.aarhus.dk/jwks',
      AUTH_AUDIENCE: 'sif-api',
    };
    type Name = keyof typeof deployed;
    const without = (...names: Name[]) => Object.fromEntries(Object.entries(deployed).filter(([k]) => !names.includes(k as Name)));
    const identity: Name[] = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'AUTH_JWKS_URL', 'AUTH_AUDIENCE'];
    expect(loadConfig(deployed).publicUrl).toBe('https://fond.aarhus.dk');

    // The worker: mail or a webhook, and the address its links name; it signs nobody in.
    expect(() => loadConfig(without('SMTP_URL'), 'worker')).toThrow(/NODE_ENV=production, and it lacks SMTP_URL or WEBHOOK_URL/);
    expect(loadConfig({ ...without('SMTP_URL', ...identity), WEBHOOK_URL: 'https://hooks.aarhus.dk/sif', WEBHOOK_SECRET: 'h00k' }, 'worker').webhook?.url).toBe(
      'https://hooks.aarhus.dk/sif',
    );
    // The scheme in any case, as browsers take it.
    expect(loadConfig({ ...deployed, PUBLIC_URL: 'HTTPS://fond.aarhus.dk' }, 'worker').publicUrl).toBe('HTTPS://fond.aarhus.dk');
    for (const publicUrl of ['http://fond.aarhus.dk', 'https://', 'fond.aarhus.dk', 'xhttps://fond.aarhus.dk'])
      expect(() => loadConfig({ ...deployed, PUBLIC_URL: publicUrl }, 'worker')).toThrow(/lacks an https PUBLIC_URL/);

    // The API: the pages' sign-in and the identity provider's tokens; a shared secret alone could sign a token for anyone. It sends no mail.
    expect(loadConfig(without('SMTP_URL'), 'api').mail.smtpUrl).toBeUndefined();
    expect(() => loadConfig(without('OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'), 'api')).toThrow(/lacks OIDC_ISSUER_URL/);
    expect(() => loadConfig({ ...without('AUTH_JWKS_URL', 'AUTH_AUDIENCE'), AUTH_JWT_SECRET: 'a-shared-secret' }, 'api')).toThrow(/lacks AUTH_JWKS_URL/);

    // Everything lacking at once, so one restart is enough, before anything asks for a local secret.
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/lacks SMTP_URL or WEBHOOK_URL .*; an https PUBLIC_URL .*; OIDC_ISSUER_URL .*; AUTH_JWKS_URL/);
    // Half-set settings are told after: the list comes first.
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_URL: 'https://hooks.aarhus.dk/sif', OIDC_ISSUER_URL: 'https://login.aarhus.dk/realms/sif' })).toThrow(
      /lacks an https PUBLIC_URL .*; AUTH_JWKS_URL/,
    );
    // Not marked as production: a local run's defaults stand.
    expect(loadConfig(local).mail.smtpUrl).toBeUndefined();
  });

  it('needs a way to verify tokens, and a secret to sign webhooks', () => {
    expect(() => loadConfig({})).toThrow(/AUTH_JWKS_URL .* or AUTH_JWT_SECRET/);
    // The identity provider's tokens for another application of the municipality are not this one's.
    expect(() => loadConfig({ ...local, AUTH_JWKS_URL: 'https://login.aarhus.dk/jwks' })).toThrow(/AUTH_JWKS_URL needs AUTH_AUDIENCE/);
    expect(() => loadConfig({ ...local, WEBHOOK_URL: 'https://hooks.example.dk' })).toThrow(/WEBHOOK_URL needs WEBHOOK_SECRET/);
  });

  it('reads the ceiling on direct financing as a share of the fund or an amount', () => {
    expect(loadConfig(local).directFinancing).toEqual({ ceiling: { kind: 'share', basisPoints: 1000 } });
    const withCeiling = (ceiling: unknown) => withSettings({ directFinancing: { ceiling } });
    expect(loadConfig(withCeiling('2500000.00')).directFinancing).toEqual({ ceiling: { kind: 'amount', ore: 2_500_000_00 } });
    expect(loadConfig(withCeiling('12.5 %')).directFinancing).toEqual({ ceiling: { kind: 'share', basisPoints: 1250 } });
    expect(() => loadConfig(withCeiling('120%'))).toThrow(/directFinancing/);
  });

  it("keeps delivered notifications 90 days unless the data protection officer's setting says otherwise, also in a settings file written before", () => {
    const withDataProtection = (dataProtection: Record<string, unknown>) => withSettings({ dataProtection });
    const day = 86_400_000;
    expect(loadConfig(local).dataProtection).toEqual({ accessLogRetention: 180 * day, outboxRetention: 90 * day });
    expect(loadConfig(withDataProtection({ accessLogRetention: '52 weeks' })).dataProtection.outboxRetention).toBe(90 * day);
    expect(loadConfig(withDataProtection({ accessLogRetention: '180 days', outboxRetention: '30 days' })).dataProtection.outboxRetention).toBe(30 * day);
    expect(() => loadConfig(withDataProtection({ accessLogRetention: '180 days', outboxRetention: 'forever' }))).toThrow(/outboxRetention/);
  });

  it('gives the secretariat 7 days to correct returned minutes, also in a settings file written before that deadline existed', () => {
    const day = 86_400_000;
    expect(loadConfig(local).council.minutesCorrection).toBe(7 * day);
    const { minutesCorrection: _, ...before } = settings.council;
    expect(loadConfig(withSettings({ council: before })).council).toEqual({
      voting: 'async',
      agendaNotice: 5 * day,
      dialogueReminder: 14 * day,
      minutesApproval: 14 * day,
      minutesCorrection: 7 * day,
    });
    expect(loadConfig(withSettings({ council: { ...before, minutesCorrection: '3 days' } })).council.minutesCorrection).toBe(3 * day);
  });

  describe('the minimum tender period', () => {
    const withProcurement = (procurement: Record<string, unknown>) =>
      withSettings({ procurement: { thresholds: settings.procurement.thresholds, standstill: '10 days', ...procurement } });

    it('takes any unit, as the deadlines do', () => {
      expect(loadConfig(local).procurement.minimumTenderMs).toBe(30 * 86_400_000);
      expect(loadConfig(withProcurement({ minimumTenderPeriod: '2 minutes' })).procurement.minimumTenderMs).toBe(120_000);
    });

    it('still reads whole days from a settings file written before, and refuses both or neither', () => {
      expect(loadConfig(withProcurement({ minimumTenderDays: 35 })).procurement.minimumTenderMs).toBe(35 * 86_400_000);
      expect(() => loadConfig(withProcurement({ minimumTenderDays: 35, minimumTenderPeriod: '35 days' }))).toThrow(/minimumTenderPeriod/);
      expect(() => loadConfig(withProcurement({}))).toThrow(/minimumTenderPeriod/);
      expect(() => loadConfig(withProcurement({ minimumTenderPeriod: '0 days' }))).toThrow(/longer than zero/);
    });

    it('is minutes in the training settings, like every other period there', () => {
      const training = loadConfig({ ...local, SIF_SETTINGS: resolve(__dirname, '../../config/settings.training.json') });
      const periods = [...Object.values(training.deadlines), training.procurement.minimumTenderMs, training.procurement.standstill];
      expect(Math.max(...periods)).toBeLessThanOrEqual(10 * 60_000);
    });
  });
});
