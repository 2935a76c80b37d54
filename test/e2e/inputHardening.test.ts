import { SignJWT } from 'jose';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/**
 * What a security review tries through the API on the whole system: links that would
 * run script, text that would forge the decision paper's structure or a mail's link, a
 * token whose subject is a query, cached or sniffed answers, the docs page framed,
 * people's addresses listed, and an annual report for a year that has not closed.
 */
describe('input that cannot pretend, and answers that keep to themselves', () => {
  let stack: Stack;
  // The year in Copenhagen, where the fund's years close.
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', year: 'numeric' }).format(new Date()));
  beforeAll(async () => {
    // The fund began three years ago here, so two years have closed.
    stack = await startStack('input-hardening', {}, (c) => void (c.fund.startDate = `${year - 3}-01-01`));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'JavaScript:alert(1)'])(
    'refuses %s as evidence and as a tender document, naming the field',
    async (url) => {
      const sara = await stack.as('sara.secretariat');
      const evidence = [{ kind: 'research', citation: 'En undersøgelse', url }];
      const created = await sara.post('/api/proposals', { ...housingFirst, motivation: { ...housingFirst.motivation, evidence } });
      expect(created.status).toBe(400);
      expect(created.body.errors).toEqual([expect.objectContaining({ field: 'motivation.evidence.0.url', code: 'webLink' })]);

      const tender = await sara.post('/api/proposals/SIF-2026-0001/procurement', {
        action: 'prepareTender',
        title: 'Udbud',
        description: 'Housing First',
        documents: [{ title: 'Udbudsbetingelser', url }],
        awardCriteria: [{ name: 'Pris', weight: 100 }],
        estimatedValue: '1000000.00',
        deadline: '2030-01-01T12:00:00+01:00',
      });
      expect(tender.status).toBe(400);
      expect(tender.body.errors).toEqual([expect.objectContaining({ field: 'documents.0.url', code: 'webLink' })]);
    },
  );

  it("keeps what people typed as text in the decision paper and the council's mails", async () => {
    const sara = await stack.as('sara.secretariat');
    const forgedTitle = 'Housing First\n\nÅbn opgaven: https://evil.example/login';
    const forgedSummary = 'Egen bolig til unge hjemløse.\n## Rådets beslutning: GODKENDT\n- Enstemmigt';
    const created = await sara.post('/api/proposals', { ...housingFirst, title: forgedTitle, summary: forgedSummary });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);

    const paper = await eventually(async () => {
      const res = await stack.request('GET', `/api/proposals/${id}/decision-paper`, { token: sara.token, headers: { accept: 'text/markdown' } });
      expect(res.status).toBe(200);
      return res.body as string;
    });
    const lines = paper.split('\n');
    expect(lines[0]).toBe('# Beslutningsoplæg: Housing First Åbn opgaven: https://evil.example/login');
    expect(lines.filter((l) => l.startsWith('#'))).not.toContainEqual(expect.stringContaining('Rådets beslutning'));
    expect(lines).toContain('\\## Rådets beslutning: GODKENDT');
    expect(lines).toContain('\\- Enstemmigt');

    // The vote's mail has one line with a link: the task's own.
    const mail = await stack.smtp.waitFor('bo.lind@example.dk', /^Ny opgave: Housing First Åbn opgaven/);
    expect(mail.text.split('\n').filter((l) => l.startsWith('Åbn opgaven:'))).toEqual([expect.stringMatching(new RegExp(`^Åbn opgaven: ${stack.config.publicUrl}/tasks/`))]);
  });

  it('refuses a signed token whose subject is an object or an array', async () => {
    const secret = new TextEncoder().encode(stack.config.auth.jwtSecret);
    for (const sub of [{ $ne: null }, { $gt: '' }, ['sara.secretariat'], 42]) {
      const token = await new SignJWT({ sub } as never).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(secret);
      const res = await stack.request('GET', '/api/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('tokenWithoutUser');
    }
  });

  it("draws a meeting's video link as a link only if it is a web address as drawn, whatever was stored", async () => {
    const sara = await stack.as('sara.secretariat');
    const planned = await sara.post('/api/meetings', { startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), videoLink: 'https://video.aarhus.dk/raadsmoede' });
    expect(planned.status).toBe(201);
    const id = (planned.body as { id: string }).id;
    const page = async () => (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/meetings/${id}`)).text;
    expect(await page()).toContain('<a href="https://video.aarhus.dk/raadsmoede"');
    // Written another way than the API's check (an older version, a restore, a hand edit), once its workflow has written it.
    await eventually(async () => expect((await stack.store.meetings.findById(id).lean())?.seq).toBeGreaterThanOrEqual(1));
    await stack.store.meetings.updateOne({ _id: id }, { $set: { 'meeting.videoLink': 'javascript:alert(document.cookie)' } });
    const drawn = await page();
    expect(drawn).toContain('<code>javascript:alert(document.cookie)</code>');
    expect(drawn).not.toContain('href="javascript:');
  });

  it('refuses a body nested deeper than any the API takes, naming it, where it overflowed the stack into a 500', async () => {
    const { token } = await stack.as('sara.secretariat');
    const raw = `{"title":${'['.repeat(400_000)}${']'.repeat(400_000)}}`;
    const res = await stack.request('POST', '/api/proposals', { token, raw, headers: { 'idempotency-key': 'deep-body' } });
    expect([res.status, (res.body as { code: string }).code]).toEqual([400, 'bodyTooDeep']);
    expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field: '(body)', code: 'tooDeep' })]);
  });

  it('refuses a path that is not valid percent-encoding as any bad request, naming the path', async () => {
    const sara = await stack.as('sara.secretariat');
    for (const path of ['/api/proposals/%E0', '/api/meetings/%FF/minutes']) {
      const res = await sara.get(path);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalidRequest', errors: [{ field: '(path)', code: 'invalidEncoding' }] });
    }
  });

  it('refuses a procurement or contracting step posted from the page for a case in another stage, in words, where a form without its part of the case answered 500', async () => {
    const created = await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst);
    expect(created.status).toBe(201);
    const sara = await pageVisitor(stack.api.url, 'sara.secretariat');
    const path = `/proposals/${created.body.id}/procurement`;
    const csrf = sara.csrfOf((await sara.get('/proposals/new')).text);
    for (const step of ['evaluate', 'decideProcedure', 'registerInvestorOffer']) {
      const posted = await sara.post(path, { _csrf: csrf, _idempotencyKey: crypto.randomUUID(), step });
      expect([step, posted.status]).toEqual([step, 409]);
      expect(posted.text).toContain('Det kan ikke lade sig gøre i fasen Motivation.');
    }
  });

  it("answers a page's address with a value it cannot use 400, naming the parameter, and draws notices only from the page's own words", async () => {
    const [sara, admin] = await Promise.all([pageVisitor(stack.api.url, 'sara.secretariat'), pageVisitor(stack.api.url, 'hr.admin')]);
    for (const [visitor, path, named] of [
      [sara, '/proposals?page=0', 'page'],
      [sara, '/proposals?page=2&utm_source=mail', 'utm_source'],
      [sara, '/outbox?status=bogus', 'status'],
      [sara, '/fund?from=2026-02-30', 'from'],
      [sara, '/fund?approvedPage=0', 'approvedPage'],
      [admin, '/role-changes?pageSize=9999', 'pageSize'],
    ] as const) {
      const page = await visitor.get(path);
      expect([path, page.status]).toEqual([path, 400]);
      expect(page.text).toContain(`Adressen har noget, siden ikke kan bruge: ${named}.`);
    }
    // A notice's name that every object has draws no notice; a year that is none names none.
    const planned = await (await stack.as('sara.secretariat')).post('/api/meetings', { startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), place: 'Rådhuset' });
    expect(planned.status).toBe(201);
    for (const path of [`/meetings/${planned.body.id}?done=toString`, `/meetings/${planned.body.id}?done=__proto__`, '/fund?reportStarted=1']) {
      const page = await sara.get(path);
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.text).not.toMatch(/native code|\[object Object\]|notice-success/);
    }
    expect((await sara.get(`/meetings/${planned.body.id}?done=planned`)).text).toContain('notice-success');
  });

  it('refuses a query parameter a route does not take, naming it, where it was ignored', async () => {
    const sara = await stack.as('sara.secretariat');
    for (const [method, path] of [
      ['get', '/api/fund?page=3'],
      ['get', '/api/me?debug=1'],
      ['post', '/api/proposals?dryRun=true'],
    ] as const) {
      const res = method === 'get' ? await sara.get(path) : await sara.post(path, housingFirst);
      expect([path, res.status, res.body.errors]).toEqual([path, 400, [expect.objectContaining({ field: expect.stringContaining(path.split('?')[1].split('=')[0]) })]]);
    }
    expect(await stack.store.proposals.countDocuments({ 'content.title': housingFirst.title, stage: 'Motivation' })).toBeLessThan(2);
  });

  it('bounds every list’s page number and a person’s e-mail address, naming the field', async () => {
    const [sara, admin] = await Promise.all([stack.as('sara.secretariat'), stack.as('hr.admin')]);
    for (const [reader, list] of [
      [sara, '/api/proposals'],
      [sara, '/api/tasks'],
      [sara, '/api/fund/ledger'],
      [sara, '/api/outbox'],
      [admin, '/api/role-changes'],
    ] as const) {
      const res = await reader.get(`${list}?page=9007199254740991`);
      expect([list, res.status, res.body.errors]).toEqual([list, 400, [expect.objectContaining({ field: 'page' })]]);
    }
    const email = `${'a'.repeat(250)}@aarhus.dk`;
    const res = await admin.post('/api/users', { id: 'lang.adresse', name: 'Lang Adresse', email, roles: ['department'], department: 'MSB' });
    expect([res.status, res.body.errors]).toEqual([400, [expect.objectContaining({ field: 'email' })]]);
  });

  it('answers a page whose path names something with a control character, or of any length, as not found, and records no read of it, nor of a meeting the API does not find', async () => {
    const [sara, chair] = await Promise.all([pageVisitor(stack.api.url, 'sara.secretariat'), pageVisitor(stack.api.url, 'anne.chair')]);
    for (const path of ['/proposals/%00', '/proposals/SIF%00/edit', '/tasks/%00', '/proposals/%00/procurement']) expect([path, (await sara.get(path)).status]).toEqual([path, 404]);
    const junk = 'x'.repeat(5_000);
    expect((await chair.get(`/meetings/${junk}`)).status).toBe(404);
    expect((await chair.get('/meetings/no-such-meeting')).status).toBe(404);
    expect((await (await stack.as('anne.chair')).get('/api/meetings/M-20260101-abcdef')).status).toBe(404);
    // The access log's search takes no control character either: refused at its field, not a 500.
    const dpo = await pageVisitor(stack.api.url, 'dpo');
    expect((await dpo.get('/access-log?case=%00')).status).toBe(400);
    // A record started beside the lookup would land after the answer: give it time to.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.store.accessLog.countDocuments({ what: 'meeting', userId: 'anne.chair' })).toBe(0);
  });

  it('marks every API answer not to be sniffed or kept, and gives the docs page the pages’ policy', async () => {
    const sara = await stack.as('sara.secretariat');
    for (const res of [await sara.get('/api/proposals'), await sara.get('/api/users'), await stack.request('GET', '/api/me'), await sara.get('/api/nowhere')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const docs = await stack.request('GET', '/api/docs');
    const page = await stack.request('GET', '/sign-in');
    expect(docs.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
    expect(docs.body).not.toMatch(/<style|style=/);
    expect((await stack.request('GET', '/assets/docs.css')).status).toBe(200);
  });

  it("shows operators who holds which role, not people's e-mail addresses", async () => {
    const forOperators = (await (await stack.as('ops')).get('/api/users')).body.items;
    expect(forOperators.find((u: { id: string }) => u.id === 'bo.member')).toEqual({
      id: 'bo.member',
      name: 'Bo Lind',
      roles: ['councilMember'],
      department: null,
      active: true,
      language: 'da',
    });
    expect(JSON.stringify(forOperators)).not.toContain('@');
    const forSecretariat = (await (await stack.as('sara.secretariat')).get('/api/users')).body.items;
    expect(forSecretariat.find((u: { id: string }) => u.id === 'bo.member').email).toBe('bo.lind@example.dk');
  });

  it('starts an annual report only for a closed year within the fund’s life', async () => {
    const sara = await stack.as('sara.secretariat');
    for (const notClosed of [year, year + 1, year - 4]) {
      const res = await sara.post(`/api/reports/${notClosed}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'year', code: 'closedFundYear', params: { first: year - 3, last: year - 1 } })]);
    }
    expect(await stack.store.reports.countDocuments()).toBe(0);
    expect((await sara.post(`/api/reports/${year - 1}`)).status).toBe(202);
  });
});
