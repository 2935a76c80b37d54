import { Client } from '@temporalio/client';
import { createProposal } from '../../api/proposalCreation';
import { lifecycleClient, type LifecycleClient } from '../../api/lifecycle';
import { caseId } from '../../store/caseNumbers';
import { proposalSchema } from '../../domain/proposal';
import { housingFirst } from '../fixtures/proposals';
import { startStack, type Stack } from '../support/stack';

/**
 * Case numbers under concurrency, through the real API, Temporal and FerretDB: every
 * request gets a proposal, the numbers are distinct and consecutive, and a number is
 * used only by a proposal that exists.
 */
describe('case numbers', () => {
  let stack: Stack;
  const year = new Date().getUTCFullYear();
  beforeAll(async () => {
    stack = await startStack('case-numbers');
  });
  afterAll(() => stack?.stop());

  const numbers = async () => (await stack.store.proposals.find({}, { _id: 1 }).lean()).map((d) => d._id).sort();
  const deps = (lifecycle: LifecycleClient) => ({ config: stack.config, store: stack.store, lifecycle });
  const realLifecycle = () => lifecycleClient(stack.client, stack.config.temporal.taskQueue);
  const proposal = proposalSchema.parse(housingFirst);

  it('gives 50 simultaneous requests 50 proposals with consecutive numbers, each with its workflow', async () => {
    const sara = await stack.as('sara.secretariat');
    const results = await Promise.all(Array.from({ length: 50 }, () => sara.post('/api/proposals', housingFirst)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = results.map((r) => r.body.id as string).sort();
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => caseId(year, i + 1)));
    expect(await numbers()).toEqual(ids);
    for (const id of ids) {
      expect((await stack.client.workflow.getHandle(`proposal-${id}`).describe()).status.name).toBe('RUNNING');
    }
  });

  it('deletes the draft when its workflow cannot be started, so the next request takes its number', async () => {
    // A namespace Temporal does not have: the start fails after the draft is inserted.
    const nowhere = lifecycleClient(new Client({ connection: stack.client.connection, namespace: 'no-such-namespace' }), stack.config.temporal.taskQueue);
    await expect(createProposal(deps(nowhere), 'sara.secretariat', proposal)).rejects.toThrow();
    expect(await stack.store.proposals.findById(caseId(year, 51)).lean()).toBeNull();

    const sara = await stack.as('sara.secretariat');
    const next = await sara.post('/api/proposals', housingFirst);
    expect(next.status).toBe(201);
    expect(next.body.id).toBe(caseId(year, 51));
  });

  it('keeps the proposal when Temporal started its workflow but the answer was lost', async () => {
    const real = realLifecycle();
    const lostAnswer: LifecycleClient = {
      ...real,
      async start(input) {
        await real.start(input);
        throw new Error('connection reset after the start was accepted');
      },
    };
    const id = await createProposal(deps(lostAnswer), 'sara.secretariat', proposal);
    expect(id).toBe(caseId(year, 52));
    expect(await stack.store.proposals.findById(id).lean()).not.toBeNull();
    expect((await stack.client.workflow.getHandle(`proposal-${id}`).describe()).status.name).toBe('RUNNING');
  });

  it('never reuses a number Temporal already knows, and leaves no draft for it', async () => {
    // A workflow from another database on the same namespace holds the next number (on a queue no worker serves).
    const foreign = await stack.client.workflow.start('proposalLifecycle', {
      taskQueue: `${stack.config.temporal.taskQueue}-elsewhere`,
      workflowId: `proposal-${caseId(year, 53)}`,
      args: [
        {
          proposalId: caseId(year, 53),
          createdBy: 'someone',
          summary: { title: 'x', welfareArea: 'other', fundingTrack: 'directFinancing', responsibleDepartment: 'MSB', requestedOre: 1 },
          deadlines: stack.config.deadlines,
        },
      ],
    });
    try {
      const sara = await stack.as('sara.secretariat');
      const next = await sara.post('/api/proposals', housingFirst);
      expect(next.status).toBe(201);
      expect(next.body.id).toBe(caseId(year, 54));
      expect(await stack.store.proposals.findById(caseId(year, 53)).lean()).toBeNull();
    } finally {
      await foreign.terminate('test over');
    }
  });
});
