import { createHash } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { visitor } from '../support/visitor';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The pages' sessions live in the database: signing out and deactivation end them on
 * the next request, whoever still holds the cookie, and so do the configured idle
 * and absolute timeouts.
 */
describe('sessions that end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('sessions');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ends the session at sign-out: the cookie, kept or copied, signs nobody in again', async () => {
    const sara = visitor(stack.api.url);
    await sara.signIn('sara.secretariat');
    const cookie = sara.cookie('sif_session')!;
    expect(await sara.signedIn()).toBe(true);
    // The database holds a hash of the cookie's id, never the id itself.
    const kept = await stack.store.sessions.find({ userId: 'sara.secretariat' }).lean();
    expect(kept.map((s) => s._id)).toEqual([createHash('sha256').update(cookie).digest('hex')]);

    const copy = visitor(stack.api.url);
    copy.setCookie('sif_session', cookie);
    expect(await copy.signedIn()).toBe(true);

    expect(await sara.post('/sign-out')).toMatchObject({ status: 303, location: '/sign-in' });
    expect(sara.cookie('sif_session')).toBeUndefined();
    expect(await copy.signedIn()).toBe(false);
    const replayed = visitor(stack.api.url);
    replayed.setCookie('sif_session', cookie);
    expect(await replayed.signedIn()).toBe(false);
    expect(await stack.store.sessions.countDocuments({ userId: 'sara.secretariat' })).toBe(0);
  });

  it('signs nobody in for a user id the list never offers (unknown, a control character, a page of text), and says so', async () => {
    for (const userId of ['nobody.here', 'sara\u0000secretariat', 'x'.repeat(5_000)]) {
      const stranger = visitor(stack.api.url);
      await stranger.get('/sign-in');
      const res = await stranger.post('/sign-in', { userId, next: '/' });
      expect([res.status, res.location?.startsWith('/sign-in?unknown=')]).toEqual([303, true]);
      expect((await stranger.get(res.location!)).text).toContain('findes ikke, er ikke aktiv eller har ingen rolle i systemet');
      expect(await stranger.signedIn()).toBe(false);
    }
    // The notice names an id, never a link's words: anyone can send a link to this page.
    const told = async (unknown: string) => (await visitor(stack.api.url).get(`/sign-in?unknown=${encodeURIComponent(unknown)}`)).text;
    expect(await told('nobody.here')).toContain('Brugeren nobody.here findes ikke');
    const forged = await told('sara.secretariat. Ring straks til IT på 70 20 30 40 og oplys din adgangskode. Brugeren');
    expect(forged).toContain('Brugeren findes ikke');
    expect(forged).not.toContain('oplys din adgangskode');
  });

  it('ends every session of a person who is deactivated, and reactivation does not bring them back', async () => {
    const [laptop, phone] = [visitor(stack.api.url), visitor(stack.api.url)];
    await laptop.signIn('jonas.secretariat');
    await phone.signIn('jonas.secretariat');
    expect(await laptop.signedIn()).toBe(true);

    // The administrator deactivates him (Sara remains the secretariat's needed holder).
    const admin = await stack.as('hr.admin');
    expect((await admin.put('/api/users/jonas.secretariat', { active: false })).status).toBe(200);
    expect(await laptop.signedIn()).toBe(false);
    expect(await phone.signedIn()).toBe(false);

    expect((await admin.put('/api/users/jonas.secretariat', { active: true })).status).toBe(200);
    expect(await phone.signedIn()).toBe(false);
    await phone.signIn('jonas.secretariat');
    expect(await phone.signedIn()).toBe(true);
  });
});

describe('session timeouts from configuration', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('session-timeouts', { SESSION_IDLE_TIMEOUT: '3 seconds', SESSION_ABSOLUTE_TIMEOUT: '8 seconds' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ends a session left idle, and a busy one at the absolute timeout', async () => {
    const idle = visitor(stack.api.url);
    const busy = visitor(stack.api.url);
    await Promise.all([idle.signIn('anne.chair'), busy.signIn('bo.member')]);
    const signedInAt = Date.now();

    const idleEnds = (async () => {
      await pause(4_000);
      return idle.signedIn();
    })();
    // A request a second keeps the idle timeout away, but not the absolute one.
    const alive: boolean[] = [];
    let lastAskedAt = signedInAt;
    while (Date.now() - signedInAt < 6_500) {
      lastAskedAt = Date.now();
      alive.push(await busy.signedIn());
      await pause(1_000);
    }
    expect(await idleEnds).toBe(false);
    expect(alive.every(Boolean)).toBe(true);
    // Still signed in when asked past the idle timeout (3 s), however slowly the machine answered.
    expect(lastAskedAt - signedInAt).toBeGreaterThan(3_500);
    await pause(Math.max(0, signedInAt + 8_500 - Date.now()));
    expect(await busy.signedIn()).toBe(false);
  });

  it('tells a form sent after its session ended that its sender was signed out: nothing of it is done, and what was written comes back to copy', async () => {
    const sara = visitor(stack.api.url);
    await sara.signIn('sara.secretariat');
    expect((await sara.get('/proposals/new')).status).toBe(200); // the form, with the session's token
    await pause(4_000); // past the idle timeout, the form still open
    const title = 'Overgang fra <ungdomsuddannelse> til job';
    const sent = await sara.post('/proposals/new', { title, summary: '  ', _idempotencyKey: 'k1' });
    expect(sent.status).toBe(403);
    expect(sent.text).toContain('Du er logget ud');
    expect(sent.text).toContain('href="/sign-in?next=%2Fproposals%2Fnew"');
    expect(sent.text).toContain('aria-label="title">Overgang fra &lt;ungdomsuddannelse&gt; til job</textarea>');
    expect(sent.text).not.toContain('aria-label="summary"');
    expect(await stack.store.proposals.countDocuments({ 'content.title': title })).toBe(0);
    // A form with no session behind it (another site's) is refused as before, and nothing of it is shown.
    const stranger = visitor(stack.api.url);
    const forged = await stranger.post('/proposals/new', { _csrf: 'x'.repeat(32), title });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('kom ikke fra denne side');
    expect(forged.text).not.toContain('ungdomsuddannelse');
  });

  it('stays ended when requests that mark it in use race the sign-out (FerretDB)', async () => {
    for (let round = 0; round < 5; round++) {
      const bo = visitor(stack.api.url);
      await bo.signIn('bo.member');
      await bo.get('/'); // the form with the session's CSRF token
      const cookie = bo.cookie('sif_session')!;
      const others = Array.from({ length: 12 }, () => {
        const v = visitor(stack.api.url);
        v.setCookie('sif_session', cookie);
        return v;
      });
      await pause(300); // past a twentieth of the idle timeout: each request below marks the session in use
      const [signedOut] = await Promise.all([bo.post('/sign-out'), ...others.map((v) => v.get('/'))]);
      expect(signedOut).toMatchObject({ status: 303, location: '/sign-in' });
      expect(await others[0].signedIn()).toBe(false);
      expect(await stack.store.sessions.countDocuments({ userId: 'bo.member' })).toBe(0);
    }
  });
});
