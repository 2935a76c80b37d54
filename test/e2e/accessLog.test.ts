import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/** Every read is on record: a reader here takes the read model's answer rather than ask again until the workflow answers. */
const readModelWillDo = { untilLive: false };

/** Who read what: every read of personal data through the API is on record, and only IT operations and the data protection officer look it up. */
describe('the access log', () => {
  let stack: Stack;
  let proposalId = '';
  let voteId = '';

  beforeAll(async () => {
    stack = await startStack('access-log');
    const sara = await stack.as('sara.secretariat', readModelWillDo);
    proposalId = (await sara.post('/api/proposals', housingFirst)).body.id;
    await sara.post(`/api/proposals/${proposalId}/submit`);
    voteId = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId, kind: 'councilVote', assignee: 'bo.member' }).lean();
      if (!t) throw new Error('no vote yet');
      return t._id;
    });
  });
  afterAll(() => stack?.stop());

  const query = async (params: Record<string, string>, as = 'dpo') => (await stack.as(as, readModelWillDo)).get(`/api/access-log?${new URLSearchParams(params).toString()}`);

  it('records who read a proposal, its decision paper, a task, the ledger, the user list and the outbox, and when, never what they saw', async () => {
    const before = new Date();
    const [sara, bo, ops] = await Promise.all([stack.as('sara.secretariat', readModelWillDo), stack.as('bo.member', readModelWillDo), stack.as('ops', readModelWillDo)]);
    for (const [who, path] of [
      [sara, `/api/proposals/${proposalId}`],
      [sara, `/api/proposals/${proposalId}/decision-paper`],
      [bo, `/api/tasks/${voteId}`],
      [sara, `/api/fund/ledger?proposalId=${proposalId}`],
      [ops, '/api/users'],
      [ops, '/api/outbox'],
    ] as const) {
      expect((await who.get(path)).status).toBe(200);
    }
    const after = new Date();

    const ofCase = await query({ case: proposalId });
    expect(ofCase.status).toBe(200);
    const items = ofCase.body.items as Record<string, unknown>[];
    expect(items.map((e) => [e.userId, e.what, e.route])).toEqual([
      ['sara.secretariat', 'ledger', 'GET /api/fund/ledger'],
      ['bo.member', 'task', 'GET /api/tasks/:id'],
      ['sara.secretariat', 'proposal', 'GET /api/proposals/:id/decision-paper'],
      ['sara.secretariat', 'proposal', 'GET /api/proposals/:id'],
    ]);
    expect(items[1]).toMatchObject({ taskId: voteId, proposalId, via: 'api' });
    for (const e of items) {
      expect(Object.keys(e).sort()).toEqual(['at', 'meetingId', 'proposalId', 'route', 'taskId', 'userId', 'via', 'what']);
      expect(Date.parse(e.at as string)).toBeGreaterThanOrEqual(before.getTime());
      expect(Date.parse(e.at as string)).toBeLessThanOrEqual(after.getTime());
    }
    // Nothing the readers saw is in the log.
    const stored = JSON.stringify(await stack.store.accessLog.find().lean());
    for (const seen of [housingFirst.title, housingFirst.summary, 'bo.lind@example.dk', 'Bo Lind']) expect(stored).not.toContain(seen);

    const byOps = await query({ user: 'ops' }, 'ops');
    expect(byOps.body.items.map((e: { what: string }) => e.what)).toEqual(['outbox', 'users']);
  });

  it('records who read a council meeting and its minutes: who attended and who declared a conflict of interest are personal data', async () => {
    const sara = await stack.as('sara.secretariat', readModelWillDo);
    const meeting = (await sara.post('/api/meetings', { startsAt: new Date(Date.now() + 86_400_000).toISOString(), place: 'Rådhuset, lokale 1' })).body as { id: string };
    const bo = await stack.as('bo.member', readModelWillDo);
    expect((await bo.get(`/api/meetings/${meeting.id}`)).status).toBe(200);
    // Not recorded yet: no minutes, but the meeting's record was asked for.
    expect((await bo.get(`/api/meetings/${meeting.id}/minutes`)).status).toBe(409);
    // A change's answer shows the meeting too (a new meeting's shows no one yet), and so does that answer given again to a retry.
    const key = { 'idempotency-key': `cancel-${meeting.id}` };
    expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Flyttet til næste uge' }, key)).status).toBe(200);
    const again = await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Flyttet til næste uge' }, key);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    const reads = await stack.store.accessLog.find({ meetingId: meeting.id }).sort({ at: 1 }).lean();
    expect(reads.map((e) => [e.userId, e.what, e.route, e.via])).toEqual([
      ['bo.member', 'meeting', 'GET /api/meetings/:id', 'api'],
      ['bo.member', 'meeting', 'GET /api/meetings/:id/minutes', 'api'],
      ['sara.secretariat', 'meeting', 'POST /api/meetings/:id/cancel', 'api'],
      ['sara.secretariat', 'meeting', 'POST /api/meetings/:id/cancel', 'api'],
    ]);
    const byBo = await query({ user: 'bo.member' });
    expect(byBo.body.items.filter((e: { what: string }) => e.what === 'meeting')).toHaveLength(2);
    // A meeting is a case of its own on the log: found by case, as its tasks' reads are.
    expect(byBo.body.items.find((e: { what: string }) => e.what === 'meeting')).toMatchObject({ meetingId: meeting.id, proposalId: meeting.id, taskId: null });
    const ofMeeting = await query({ case: meeting.id });
    expect(ofMeeting.body.items.map((e: { userId: string; route: string }) => [e.userId, e.route])).toEqual([
      ['sara.secretariat', 'POST /api/meetings/:id/cancel'],
      ['sara.secretariat', 'POST /api/meetings/:id/cancel'],
      ['bo.member', 'GET /api/meetings/:id/minutes'],
      ['bo.member', 'GET /api/meetings/:id'],
    ]);
    // A refusal shows nothing of the meeting: given again to a retry, it is no read.
    const refusedKey = { 'idempotency-key': `cancel-again-${meeting.id}` };
    const before = await stack.store.accessLog.countDocuments({ meetingId: meeting.id });
    for (let i = 0; i < 2; i++) expect((await sara.post(`/api/meetings/${meeting.id}/cancel`, { reason: 'Igen' }, refusedKey)).body.code).toBe('meetingNotOpen');
    expect(await stack.store.accessLog.countDocuments({ meetingId: meeting.id })).toBe(before + 1);
  });

  it('records who read the record of role changes, who held which roles when, over the API and the pages', async () => {
    const ops = await stack.as('ops', readModelWillDo);
    expect((await ops.get('/api/role-changes')).status).toBe(200);
    const opsPages = await pageVisitor(stack.api.url, 'ops');
    expect((await opsPages.get('/role-changes')).status).toBe(200);
    const reads = await stack.store.accessLog.find({ what: 'roleChanges' }).sort({ at: 1 }).lean();
    expect(reads.map((e) => [e.userId, e.route, e.via])).toEqual([
      ['ops', 'GET /api/role-changes', 'api'],
      ['ops', 'GET /role-changes', 'pages'],
    ]);
  });

  it('records who read the portfolio, which names every provider and grantee, over the API and the pages, as a table and as CSV', async () => {
    const mayor = await stack.as('mayor', readModelWillDo);
    expect((await mayor.get('/api/portfolio')).status).toBe(200);
    expect((await mayor.get('/api/portfolio.csv')).status).toBe(200);
    const mayorsPages = await pageVisitor(stack.api.url, 'mayor');
    for (const path of ['/portfolio', '/portfolio.csv']) expect((await mayorsPages.get(path)).status).toBe(200);
    const reads = await stack.store.accessLog.find({ what: 'portfolio' }).sort({ at: 1 }).lean();
    expect(reads.map((e) => [e.userId, e.route, e.via])).toEqual([
      ['mayor', 'GET /api/portfolio', 'api'],
      ['mayor', 'GET /api/portfolio.csv', 'api'],
      ['mayor', 'GET /portfolio', 'pages'],
      ['mayor', 'GET /portfolio.csv', 'pages'],
    ]);
  });

  it("records the administrator's change of a person, whose answer shows the person's record, though nothing changed", async () => {
    const admin = await stack.as('hr.admin', readModelWillDo);
    expect((await admin.put('/api/users/bo.member', {})).status).toBe(200);
    expect(await stack.store.accessLog.find({ userId: 'hr.admin', what: 'users' }).lean()).toEqual([expect.objectContaining({ route: 'PUT /api/users/:id', via: 'api' })]);
  });

  it("records a look at the log itself, of the case it asks about, and a list of other people's tasks; not one's own tasks", async () => {
    const [sara, bo] = await Promise.all([stack.as('sara.secretariat', readModelWillDo), stack.as('bo.member', readModelWillDo)]);
    expect((await bo.get('/api/tasks')).status).toBe(200);
    expect((await sara.get(`/api/tasks?assignee=anyone&proposalId=${proposalId}`)).status).toBe(200);
    expect((await sara.get('/api/tasks?assignee=bo.member')).status).toBe(200);
    // A look never finds itself; the next finds it.
    const first = await query({ case: proposalId });
    const second = await query({ case: proposalId });
    expect(second.body.total).toBe(first.body.total + 1);
    expect(second.body.items[0]).toMatchObject({ userId: 'dpo', what: 'accessLog', proposalId, route: 'GET /api/access-log' });
    const dpoPages = await pageVisitor(stack.api.url, 'dpo');
    expect((await dpoPages.get(`/access-log?user=bo.member`)).status).toBe(200);

    const byDpo = await query({ user: 'dpo' }, 'ops');
    expect(
      byDpo.body.items
        .filter((e: { what: string }) => e.what === 'accessLog')
        .slice(0, 2)
        .map((e: Record<string, unknown>) => [e.route, e.proposalId, e.via]),
    ).toEqual([
      ['GET /access-log', null, 'pages'],
      ['GET /api/access-log', proposalId, 'api'],
    ]);
    const bySara = await stack.store.accessLog.find({ userId: 'sara.secretariat', what: 'taskList' }).sort({ at: 1 }).lean();
    expect(bySara.map((e) => [e.route, e.proposalId ?? null])).toEqual([
      ['GET /api/tasks', proposalId],
      ['GET /api/tasks', null],
    ]);
    expect(await stack.store.accessLog.countDocuments({ userId: 'bo.member', what: 'taskList' })).toBe(0);
  });

  it('finds reads by time, a page at a time, newest first', async () => {
    const bo = await stack.as('bo.member', readModelWillDo);
    const from = new Date().toISOString();
    for (let i = 0; i < 3; i++) await bo.get(`/api/proposals/${proposalId}`);
    const to = new Date().toISOString();
    await bo.get(`/api/tasks/${voteId}`);

    const window = await query({ user: 'bo.member', from, to });
    expect(window.body).toMatchObject({ total: 3, page: 1 });
    const paged = await query({ user: 'bo.member', from, pageSize: '2', page: '2' });
    expect(paged.body).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(paged.body.items.map((e: { what: string }) => e.what)).toEqual(['proposal', 'proposal']);
    expect(Date.parse(paged.body.items[0].at)).toBeGreaterThanOrEqual(Date.parse(paged.body.items[1].at));
  });

  it('records each of many reads at once', async () => {
    const mette = await stack.as('mbu.head', readModelWillDo);
    const answers = await Promise.all(Array.from({ length: 20 }, () => mette.get(`/api/proposals/${proposalId}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect((await query({ user: 'mbu.head' })).body.total).toBe(20);
  });

  it('is read by IT operations and the data protection officer only, with a checked query', async () => {
    for (const who of ['sara.secretariat', 'bo.member', 'anne.chair', 'mayor', 'msb.head']) {
      const refused = await query({ case: proposalId }, who);
      expect([who, refused.status, refused.body.code]).toEqual([who, 403, 'needsRole']);
      expect(refused.body.params.roles).toEqual(['operator', 'dataProtectionOfficer']);
    }
    expect((await query({ case: proposalId }, 'ops')).status).toBe(200);
    const bad = await query({ from: 'yesterday', who: 'me' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'who']);
  });

  it('keeps no CPR number typed into a search, since every search is on the log for months', async () => {
    const cpr = '010190-1234';
    const before = await stack.store.accessLog.countDocuments({});
    const sara = await stack.as('sara.secretariat', readModelWillDo);
    for (const [path, asked] of [
      [`/api/access-log?case=${cpr}`, await stack.as('dpo')],
      [`/api/fund/ledger?proposalId=${cpr}`, sara],
      [`/api/tasks?assignee=anyone&proposalId=${cpr}`, sara],
    ] as const) {
      const refused = await asked.get(path);
      expect([path, refused.status, refused.body.code]).toEqual([path, 422, 'cprNumber']);
    }
    const page = await (await pageVisitor(stack.api.url, 'dpo')).get(`/access-log?case=${cpr}`);
    expect(page.status).toBe(422);
    expect(await stack.store.accessLog.countDocuments({ proposalId: { $regex: '1234' } })).toBe(0);
    // The page's own look at the list of people is all that was put on record.
    expect(await stack.store.accessLog.countDocuments({})).toBe(before + 1);
  });

  it('keeps entries for the retention period only: a worker deletes the older ones when it starts and every hour', async () => {
    const retention = stack.config.dataProtection.accessLogRetention;
    const at = (ago: number) => new Date(Date.now() - ago);
    await stack.store.accessLog.insertMany([
      { _id: 'expired', at: at(retention + 60_000), userId: 'sara.secretariat', what: 'proposal', proposalId, via: 'api', route: 'GET /api/proposals/:id' },
      { _id: 'kept', at: at(retention - 3_600_000), userId: 'sara.secretariat', what: 'proposal', proposalId, via: 'api', route: 'GET /api/proposals/:id' },
    ]);
    await stack.restartWorker();
    await eventually(async () => {
      if (await stack.store.accessLog.exists({ _id: 'expired' })) throw new Error('the expired entry is still there');
    });
    expect(await stack.store.accessLog.exists({ _id: 'kept' })).not.toBeNull();
  });
});
