import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseCallLimitMs } from '../../api/dependencies';
import { startApi } from '../../api/server';
import { signLocalToken } from '../../api/auth';
import { freePort, startFerretDb, startTemporal, type FerretDbServer, type TemporalServer } from '../../provision/servers';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { housingFirst } from '../fixtures/proposals';
import { toLocalInput } from '../../domain/localTime';
import { proposalToValues } from '../../api/pages/proposalForm';
import { proposalSchema } from '../../domain/proposal';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/** A hidden field's value as the browser reads it. */
const unescaped = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
/** The fields a page's forms hold hidden, as the browser sends them: the 503 page's *Send igen* form, or a drawn form's key. */
const hiddenFields = (page: string) =>
  Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [name, unescaped(value)]));

/** Submits Housing First and returns bo.member's open vote task. */
async function voteTaskOf(stack: Stack) {
  const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
  const created = await sara.post('/api/proposals', housingFirst);
  expect(created.status).toBe(201);
  expect((await sara.post(`/api/proposals/${created.body.id}/submit`)).status).toBe(200);
  const bo = await stack.as('bo.member', { retryUnavailable: false });
  const task = await eventually(async () => {
    const open = (await bo.get('/api/tasks?assignee=me&status=open')).body.items.find((t: { proposalId: string }) => t.proposalId === created.body.id);
    expect(open).toBeDefined();
    return open as { id: string };
  });
  return { bo, taskId: task.id, proposalId: created.body.id as string };
}

/** Asks, times the answer, and expects the 503 an outage of `dependency` stands for. */
async function expectUnavailable(ask: () => Promise<{ status: number; headers: Headers; body: unknown }>, dependency: string) {
  const started = Date.now();
  const res = await ask();
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 503, body: { code: 'unavailable', params: { dependency } } });
  expect(res.headers.get('retry-after')).toBe('5');
  // Every call to the dependency is bounded; 3 s is the promise, with room for a busy machine.
  expect(Date.now() - started).toBeLessThan(6000);
}

describe('answers during outages, and retries that are safe', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('outages');
  });
  afterAll(() => stack?.stop());

  it('returns the first outcome to a completion retried with the same Idempotency-Key, and refuses the key for another request', async () => {
    const { bo, taskId } = await voteTaskOf(stack);
    const first = await bo.post(`/api/tasks/${taskId}/complete`, { decision: 'approve', comment: 'God evidens' }, { 'idempotency-key': 'vote-1' });
    expect(first.status).toBe(200);
    const again = await bo.post(`/api/tasks/${taskId}/complete`, { decision: 'approve', comment: 'God evidens' }, { 'idempotency-key': 'vote-1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A new key is a new request: the task is already done.
    expect((await bo.post(`/api/tasks/${taskId}/complete`, { decision: 'approve' }, { 'idempotency-key': 'vote-2' })).status).toBe(409);
    // The same key for something else is a client's mistake, said as such.
    const reused = await bo.post(`/api/tasks/${taskId}/complete`, { decision: 'reject' }, { 'idempotency-key': 'vote-1' });
    expect(reused).toMatchObject({ status: 422, body: { code: 'idempotencyKeyReused' } });
    expect(await stack.store.events.countDocuments({ type: 'taskCompleted', 'details.taskId': taskId })).toBe(1);
    // The answer is the task as recorded, though it is built from the Update's result.
    const recorded = (await stack.store.tasks.findById(taskId).lean())!;
    expect(first.body).toMatchObject({ status: 'completed', completedBy: 'bo.member', completedAt: recorded.completedAt!.toISOString() });
  });

  it('refuses someone no longer active before giving an earlier answer again, and leaves their key free', async () => {
    const admin = await stack.as('hr.admin');
    const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
    expect((await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-1' })).status).toBe(201);
    expect((await admin.put('/api/users/sara.secretariat', { active: false })).status).toBe(200);
    try {
      // Their own earlier answer is not given again: who holds a key is who they are now.
      expect(await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-1' })).toMatchObject({ status: 403, body: { code: 'noActiveUser' } });
      expect(await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-2' })).toMatchObject({ status: 403, body: { code: 'noActiveUser' } });
    } finally {
      expect((await admin.put('/api/users/sara.secretariat', { active: true })).status).toBe(200);
    }
    // The refused request held no claim on its key: back at work, the same key is a new request, not one under way.
    const again = await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-2' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('gives an earlier answer again only while the person still holds the roles they held when it was given', async () => {
    const admin = await stack.as('hr.admin');
    const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
    const first = await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-roles' });
    expect(first.status).toBe(201);
    expect((await admin.put('/api/users/sara.secretariat', { roles: ['department'], department: 'MSB' })).status).toBe(200);
    try {
      // The answer (the whole proposal) was the secretariat's: a department head does not get it again.
      expect(await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-roles' })).toMatchObject({
        status: 403,
        body: { code: 'rolesChangedSinceAnswer', params: { roles: ['secretariat'] } },
      });
    } finally {
      expect((await admin.put('/api/users/sara.secretariat', { roles: ['secretariat'] })).status).toBe(200);
    }
    const again = await sara.post('/api/proposals', housingFirst, { 'idempotency-key': 'draft-roles' });
    expect([again.status, again.headers.get('idempotent-replayed'), again.body.id]).toEqual([201, 'true', first.body.id]);
  });

  it('answers 503 within seconds while no worker runs, and the retry with the same key after it returns gives the outcome once', async () => {
    const { bo, taskId } = await voteTaskOf(stack);
    await stack.stopWorker();
    try {
      await expectUnavailable(() => bo.post(`/api/tasks/${taskId}/complete`, { decision: 'approve' }, { 'idempotency-key': 'late-vote' }), 'workers');
    } finally {
      await stack.restartWorker();
    }
    const retried = await eventually(async () => {
      const r = await bo.post(`/api/tasks/${taskId}/complete`, { decision: 'approve' }, { 'idempotency-key': 'late-vote' });
      expect(r.status).toBe(200);
      return r;
    }, 60_000);
    expect(retried.body).toMatchObject({ id: taskId, status: 'completed', completedBy: 'bo.member' });
    expect((await stack.store.tasks.findById(taskId).lean())!.status).toBe('completed');
    expect(await stack.store.events.countDocuments({ type: 'taskCompleted', 'details.taskId': taskId })).toBe(1);
  });

  it('a vote sent from its page while no worker runs comes back with what was filled in, and sent again counts once', async () => {
    const { taskId } = await voteTaskOf(stack);
    const path = `/tasks/${encodeURIComponent(taskId)}`;
    const bo = await pageVisitor(stack.api.url, 'bo.member', { retryUnavailable: false });
    const sent = { ...hiddenFields((await bo.get(path)).text), decision: 'approve', comment: 'Sendt mens arbejderen var nede' };
    await stack.stopWorker();
    let kept: Record<string, string>;
    try {
      const refused = await bo.post(path, sent);
      expect(refused.status).toBe(503);
      kept = hiddenFields(refused.text);
    } finally {
      await stack.restartWorker();
    }
    // The same fields and the same key: an answer Temporal took meanwhile is found, not given twice.
    expect(kept).toEqual(sent);
    await eventually(async () => expect((await bo.post(path, kept)).status).toBe(303), 60_000);
    expect(await stack.store.tasks.findById(taskId).lean()).toMatchObject({ status: 'completed', input: { comment: 'Sendt mens arbejderen var nede' } });
    expect(await stack.store.events.countDocuments({ type: 'taskCompleted', 'details.taskId': taskId })).toBe(1);
  });

  it('a revision answered 503 while no worker runs is the revision once its key is sent again', async () => {
    const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
    const id = (await sara.post('/api/proposals', housingFirst)).body.id as string;
    const revised = { ...housingFirst, title: 'Housing First, revideret under et udfald' };
    await stack.stopWorker();
    try {
      await expectUnavailable(() => sara.put(`/api/proposals/${id}`, revised, { 'idempotency-key': 'revise-1' }), 'workers');
    } finally {
      await stack.restartWorker();
    }
    await eventually(async () => expect((await sara.put(`/api/proposals/${id}`, revised, { 'idempotency-key': 'revise-1' })).status).toBe(200), 60_000);
    // Whichever sending the workflow took, the draft it adopts is there: the content is the revision's.
    await eventually(async () => expect(await stack.store.proposals.findById(id).lean()).toMatchObject({ revision: 1, content: { title: revised.title } }));
    // The sending again was the same draft, so once adopted none is left behind.
    await eventually(async () => expect(await stack.store.drafts.countDocuments({ proposalId: id })).toBe(0));
  });

  it('a form sent twice acts once, at once (a double click) or after its answer; changed, it is another request', async () => {
    const pages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const title = 'Sendt to gange';
    const proposal = { ...hiddenFields((await pages.get('/proposals/new')).text), ...proposalToValues('da', proposalSchema.parse(housingFirst)), title };
    const [first, second] = await Promise.all([pages.post('/proposals/new', proposal), pages.post('/proposals/new', proposal)]);
    expect(first).toMatchObject({ status: 303, location: expect.stringMatching(/^\/proposals\/SIF-/) });
    expect(second).toMatchObject({ status: 303, location: first.location });
    expect(await pages.post('/proposals/new', proposal)).toMatchObject({ status: 303, location: first.location });
    expect(await stack.store.proposals.countDocuments({ 'content.title': title })).toBe(1);
    // A double click as browsers make it: the first sending abandoned while it runs, the second sent at once.
    const clicked = { ...proposal, _idempotencyKey: randomUUID(), title: `${title}, dobbeltklik` };
    const abandoned = new AbortController();
    const clickedAt = new Date();
    const firstClick = fetch(`${stack.api.url}/proposals/new`, {
      method: 'POST',
      headers: { cookie: pages.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(clicked).toString(),
      redirect: 'manual',
      signal: abandoned.signal,
    }).catch(() => undefined);
    // Abandoned once the server has taken it up (its key claimed), while it runs.
    for (let i = 0; i < 1000 && !(await stack.store.idempotency.exists({ state: 'inProgress', createdAt: { $gte: clickedAt } })); i++);
    abandoned.abort();
    await firstClick;
    expect(await pages.post('/proposals/new', clicked)).toMatchObject({ status: 303 });
    expect(await stack.store.proposals.countDocuments({ 'content.title': clicked.title })).toBe(1);
    // The browser's back button brings the form back with its key: changed and sent, it is a proposal of its own.
    const changed = await pages.post('/proposals/new', { ...proposal, title: `${title}, ændret` });
    expect(changed.status).toBe(303);
    expect(changed.location).not.toBe(first.location);

    const place = 'Rådhuset, lokale 2';
    const meeting = { ...hiddenFields((await pages.get('/meetings')).text), kind: 'council', startsAt: toLocalInput(new Date(Date.now() + 30 * 86_400_000).toISOString()), place };
    const planned = await Promise.all([pages.post('/meetings', meeting), pages.post('/meetings', meeting)]);
    expect(planned.map((p) => p.status)).toEqual([303, 303]);
    expect(planned[1].location).toBe(planned[0].location);
    expect(await stack.store.meetings.countDocuments({ 'meeting.place': place })).toBe(1);
  });
});

describe('outages of the database and of Temporal', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('answers 503 for the API and a "temporarily unavailable" page while the database is down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sif-db-down-'));
    dirs.push(dir);
    const port = await freePort();
    let ferret: FerretDbServer = await startFerretDb({ port, dataDir: dir });
    const stack = await startStack('db-down', { MONGODB_URI: ferret.uri });
    try {
      const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
      expect((await sara.get('/api/proposals')).status).toBe(200);
      await ferret.stop();
      await expectUnavailable(() => sara.get('/api/proposals'), 'database');
      await expectUnavailable(() => sara.post('/api/proposals', housingFirst), 'database');
      const page = await fetch(`${stack.api.url}/fund`, { headers: { 'accept-language': 'da' } });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(await page.text()).toContain('Midlertidigt utilgængelig');
      ferret = await startFerretDb({ port, dataDir: dir });
      await eventually(async () => expect((await sara.get('/api/proposals')).status).toBe(200), 30_000);
    } finally {
      await stack.stop().catch(() => undefined);
      await ferret.stop();
    }
  });

  it('answers 503 while the database takes calls and never answers them (its process stopped), and serves again once it answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sif-db-hung-'));
    dirs.push(dir);
    const ferret = await startFerretDb({ port: await freePort(), dataDir: dir });
    const stack = await startStack('db-hung', { MONGODB_URI: ferret.uri });
    try {
      const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
      expect((await sara.get('/api/proposals')).status).toBe(200);
      // Stopped, its sockets stay open and take what is sent: only the call's own limit ends the wait.
      process.kill(ferret.pid, 'SIGSTOP');
      try {
        const started = Date.now();
        const res = await sara.get('/api/proposals');
        expect({ status: res.status, body: res.body }).toMatchObject({ status: 503, body: { code: 'unavailable', params: { dependency: 'database' } } });
        expect(res.headers.get('retry-after')).toBe('5');
        // A read is tried twice by the driver, each try bounded.
        expect(Date.now() - started).toBeLessThan(2 * databaseCallLimitMs + 5_000);
      } finally {
        process.kill(ferret.pid, 'SIGCONT');
      }
      await eventually(async () => expect((await sara.get('/api/proposals')).status).toBe(200), 30_000);
    } finally {
      await stack.stop().catch(() => undefined);
      await ferret.stop();
    }
  });

  it('answers 503 when Temporal is down, while reads the read model can answer still work', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sif-temporal-down-'));
    dirs.push(dir);
    const dbFile = join(dir, 'temporal.db');
    let temporal: TemporalServer = await startTemporal({ port, dbFile, searchAttributes: customSearchAttributes });
    const stack = await startStack('temporal-down', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default' });
    try {
      const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
      const created = await sara.post('/api/proposals', housingFirst);
      expect(created.status).toBe(201);
      await temporal.stop();
      // An API process started meanwhile (a deploy, a drained node) starts, and serves what the read model holds.
      const startedMeanwhile = await startApi({ ...stack.config, port: 0 }, stack.store);
      try {
        const listed = await fetch(`${startedMeanwhile.url}/api/proposals`, {
          headers: { authorization: `Bearer ${await signLocalToken(stack.config.auth.jwtSecret!, 'sara.secretariat')}` },
        });
        expect(listed.status).toBe(200);
      } finally {
        await startedMeanwhile.close();
      }
      await expectUnavailable(() => sara.post(`/api/proposals/${created.body.id}/submit`), 'temporal');
      await expectUnavailable(() => sara.post('/api/proposals', housingFirst), 'temporal');
      // The proposal form sent meanwhile comes back with every field as it was sent, to be sent again.
      const pages = await pageVisitor(stack.api.url, 'sara.secretariat', { retryUnavailable: false });
      const title = 'Sendt mens Temporal var nede';
      const sent = {
        ...proposalToValues('da', proposalSchema.parse(housingFirst)),
        title,
        _csrf: pages.csrfOf((await pages.get('/proposals/new')).text),
        _idempotencyKey: randomUUID(),
      };
      const refused = await pages.post('/proposals/new', sent);
      expect(refused.status).toBe(503);
      expect(refused.text).toContain('Send igen');
      const kept = hiddenFields(refused.text);
      expect(kept).toEqual(sent);
      const planning = {
        ...hiddenFields((await pages.get('/meetings')).text),
        kind: 'council',
        startsAt: toLocalInput(new Date(Date.now() + 30 * 86_400_000).toISOString()),
        place: 'Rådhuset, lokale 3',
      };
      const plannedMeanwhile = hiddenFields((await pages.post('/meetings', planning)).text);
      expect(plannedMeanwhile).toEqual(planning);
      // The case reads the read model when the workflow cannot be asked, and says why.
      const read = await sara.get(`/api/proposals/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ live: false, liveUnavailable: 'temporalUnreachable' });
      temporal = await startTemporal({ port, dbFile, searchAttributes: customSearchAttributes });
      // Retried as a client retries, with one key: a submission Temporal took while its answer ran out of time is found, not refused as already made.
      await eventually(
        async () => expect((await sara.post(`/api/proposals/${created.body.id}/submit`, {}, { 'idempotency-key': 'submit-after-outage' })).status).toBe(200),
        60_000,
      );
      // Sent again, it makes one proposal: the attempt Temporal refused left no draft behind.
      await eventually(async () => expect((await pages.post('/proposals/new', kept)).status).toBe(303), 60_000);
      expect(await stack.store.proposals.countDocuments({ 'content.title': title })).toBe(1);
      // Likewise a meeting: off the calendar while its workflow could not start, one meeting once sent again.
      expect(await stack.store.meetings.countDocuments({ 'meeting.place': 'Rådhuset, lokale 3' })).toBe(0);
      await eventually(async () => expect((await pages.post('/meetings', plannedMeanwhile)).status).toBe(303), 60_000);
      expect(await stack.store.meetings.countDocuments({ 'meeting.place': 'Rådhuset, lokale 3' })).toBe(1);
    } finally {
      await stack.stop().catch(() => undefined);
      await temporal.stop();
    }
  });
});
