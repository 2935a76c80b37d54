import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
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
    const sara = await stack.as('sara.secretariat');
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

  it('says so when the proposal has no workflow at all', async () => {
    const sara = await stack.as('sara.secretariat');
    // A proposal whose workflow Temporal no longer has (its retention ran out), as the read model keeps it.
    const { _id: _, ...kept } = (await stack.store.proposals.findOne().lean())!;
    const id = 'SIF-2019-001';
    await stack.store.proposals.collection.insertOne({ ...kept, _id: id as never, workflowId: `proposal-${id}`, ordinal: undefined, listed: true });
    const answer = await sara.get(`/api/proposals/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, stage: 'Motivation', live: false, liveUnavailable: 'workflowNotFound' });
  });
});
