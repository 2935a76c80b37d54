import { signLocalToken } from '../../api/auth';
import { housingFirst } from '../fixtures/proposals';
import { workflowIdFor } from '../../workflows/input';
import { submitUpdate } from '../../workflows/messages';
import { actor, completeOpen } from '../support/drive';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/**
 * A proposal's answer comes from the read model, and waits only briefly for its workflow:
 * a workflow busy with its local activities, or with no worker to run it, answers a query
 * only later, and the reader should not wait that out.
 */
describe('reading a proposal whose workflow cannot answer in time', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('proposal-read');
  });
  afterAll(() => stack?.stop());

  it('answers promptly from the read model, and says the workflow did not answer', async () => {
    const sara = await stack.as('sara.secretariat', { retryUnavailable: false });
    const created = await sara.post('/api/proposals', housingFirst);
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    // Once the workflow has put its creation on the timeline (and answered: a busy machine may keep it from answering in time).
    const answered = await eventually(async () => {
      const res = await sara.get(`/api/proposals/${id}`);
      expect(res.body.timeline.map((e: { type: string }) => e.type)).toContain('created');
      expect(res.body).toMatchObject({ id, stage: 'Motivation', live: true, liveUnavailable: null });
      return res;
    });

    // No worker: the workflow's query waits for one that never comes.
    await stack.stopWorker();
    const started = Date.now();
    const alone = await sara.get(`/api/proposals/${id}`);
    const tookMs = Date.now() - started;
    expect(alone.status).toBe(200);
    expect(alone.body).toMatchObject({ id, stage: 'Motivation', live: false, liveUnavailable: 'workflowTimedOut', rounds: [], mayoralDecision: null });
    // What the read model holds is all there: the proposal, its tasks and its timeline.
    expect(alone.body.proposal.title).toBe(housingFirst.title);
    expect(alone.body.tasks).toEqual(answered.body.tasks);
    expect(alone.body.timeline).toEqual(answered.body.timeline);
    // Within the API's wait for the workflow (1 s), before the 2 s it waited out when any call to Temporal was given that.
    expect(tookMs).toBeLessThan(2_000);
  });

  it('says so on the pages, and a page that is nothing without the workflow answers 503 and draws no form', async () => {
    await stack.restartWorker();
    const id: string = (await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await handle.executeUpdate(submitUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat') }] });
    for (let i = 0; i < 2; i++) await completeOpen(stack.store, handle, id, 'councilVote', { decision: 'approve' }, 'councilMember');
    await completeOpen(stack.store, handle, id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, 'councilChair');
    const approval = await eventually(async () => (await stack.store.tasks.findOne({ proposalId: id, kind: 'mayoralApproval', status: 'open' }).lean())!);
    const [sara, mayor] = await Promise.all([
      pageVisitor(stack.api.url, 'sara.secretariat', { retryUnavailable: false }),
      pageVisitor(stack.api.url, 'mayor', { retryUnavailable: false }),
    ]);
    const awaiting = /<div class="notice notice-info" role="status" data-awaiting-workflow>/;
    // With the workflow answering (once it does, on a busy machine), the mayor's form is drawn.
    await eventually(async () => {
      const answered = await mayor.get(`/tasks/${encodeURIComponent(approval._id)}`);
      expect(answered.status).toBe(200);
      expect(answered.text).not.toMatch(awaiting);
      expect(answered.text).toContain('Godkend beslutningen');
    });

    await stack.stopWorker();
    try {
      // The case page shows what the database holds and says that it is not all.
      const casePage = await sara.get(`/proposals/${id}`);
      expect(casePage.status).toBe(200);
      expect(casePage.text).toMatch(awaiting);
      expect(casePage.text).toContain(housingFirst.title);
      // The mayor's form needs the round's result: no form drawn without it, and a 503 to try again.
      const task = await mayor.get(`/tasks/${encodeURIComponent(approval._id)}`);
      expect([task.status, task.retryAfter]).toEqual([503, '5']);
      expect(task.text).toMatch(awaiting);
      expect(task.text).toContain(`<a href="/tasks/${encodeURIComponent(approval._id)}">Prøv igen</a>`);
      expect(task.text).not.toContain('Godkend beslutningen');
      // Someone else reading the task sees it, and that its context is not all there.
      const theirs = await sara.get(`/tasks/${encodeURIComponent(approval._id)}`);
      expect(theirs.status).toBe(200);
      expect(theirs.text).toMatch(awaiting);
      // The procurement page is the workflow's state and nothing else.
      const procurement = await sara.get(`/proposals/${id}/procurement`);
      expect([procurement.status, procurement.retryAfter]).toEqual([503, '5']);
      expect(procurement.text).toMatch(awaiting);
    } finally {
      await stack.restartWorker();
    }
  });

  it('says so when the proposal has no workflow at all', async () => {
    const sara = await stack.as('sara.secretariat');
    // A proposal whose workflow Temporal no longer has (its retention ran out), as the read model keeps it.
    const { _id: _, ...kept } = (await stack.store.proposals.findOne().lean())!;
    const id = 'SIF-2019-001';
    await stack.store.proposals.collection.insertOne({ ...kept, _id: id as never, workflowId: `proposal-${id}`, ordinal: undefined, listed: true });
    const answer = await sara.get(`/api/proposals/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, stage: 'Motivation', live: false, liveUnavailable: 'workflowNotFound' });
    // What only the workflow held cannot be had: said as such, not a 500.
    const ocds = await sara.get(`/api/proposals/${id}/ocds`);
    expect([ocds.status, ocds.body.code, ocds.body.params]).toEqual([410, 'historyNotKept', { id }]);
  });

  it('reads a proposal kept before a rule was tightened as it was stored, not as a 500', async () => {
    const sara = await stack.as('sara.secretariat');
    const created = await sara.post('/api/proposals', housingFirst);
    const { _id: _, ...kept } = (await stack.store.proposals.findById(created.body.id).lean())!;
    const id = 'SIF-2019-002';
    // Longer than today's 200 characters, as an older version took it.
    const title = 'Housing First i Aarhus '.repeat(10);
    await stack.store.proposals.collection.insertOne({
      ...kept,
      _id: id as never,
      workflowId: `proposal-${id}`,
      ordinal: undefined,
      listed: true,
      content: { ...kept.content, title },
    });
    // Asked past the tests' check against the document, which states today's rules: the record is older than one of them.
    const answer = await fetch(`${stack.api.url}/api/proposals/${id}`, {
      headers: { authorization: `Bearer ${await signLocalToken(stack.config.auth.jwtSecret!, 'sara.secretariat')}` },
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { proposal: unknown }).proposal).toMatchObject({
      title,
      businessCase: { requestedFromFund: Number(housingFirst.businessCase?.requestedFromFund).toFixed(2) },
    });
  });
});
