import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { newPayloadKey } from '../../config/payloadKeys';
import { workflowIdFor } from '../../workflows/input';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { payloadsIn } from '../support/histories';
import { startStack, type Stack } from '../support/stack';

/**
 * Key rotation as the README describes it: a new key goes in front, the old one stays
 * for reading. A case started under the old key goes on under processes whose current
 * key is the new one: its history is replayed from the old payloads, what it writes
 * from then on is sealed under the new key.
 */
describe('rotating the payload key', () => {
  const oldKey = newPayloadKey('k-2025');
  const newKey = newPayloadKey('k-2026');
  let before: Stack | undefined;
  let after: Stack | undefined;
  afterAll(async () => {
    await after?.stop();
    await before?.stop();
  });

  const keysIn = async (stack: Stack, workflowId: string) => {
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    return payloadsIn(JSON.parse(historyToJSON(history)))
      .filter((p) => p.encoding === 'binary/encrypted')
      .map((p) => p.keyId);
  };

  it('continues a case started under the old key once the new key is current and the old one kept', async () => {
    before = await startStack('rotation', { PAYLOAD_KEYS: oldKey });
    const sara = await before.as('sara.secretariat');
    const created = await sara.post('/api/proposals', housingFirst);
    const proposalId: string = created.body.id;
    expect((await sara.post(`/api/proposals/${proposalId}/submit`)).status).toBe(200);
    const workflowId = workflowIdFor(proposalId);
    await eventually(async () => expect(await before!.store.tasks.countDocuments({ proposalId, kind: 'councilVote', status: 'open' })).toBe(3));
    expect(new Set(await keysIn(before, workflowId))).toEqual(new Set(['k-2025']));

    // The old processes go (no worker keeps the case in its cache); the new ones come with the rotated keys, on the same data.
    await before.api.close();
    await before.stopWorker();
    const { config } = before;
    after = await startStack('rotation', {
      PAYLOAD_KEYS: `${newKey},${oldKey}`,
      MONGODB_DB: config.mongo.db,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      AUTH_JWT_SECRET: config.auth.jwtSecret!,
    });
    const bo = await after.as('bo.member');
    const vote = (await bo.get('/api/tasks?assignee=me&status=open')).body.items.find((t: { proposalId: string }) => t.proposalId === proposalId);
    expect((await bo.post(`/api/tasks/${encodeURIComponent(vote.id)}/complete`, { decision: 'approve' })).status).toBe(200);
    const read = await (await after.as('sara.secretariat')).get(`/api/proposals/${proposalId}`);
    expect(read.body).toMatchObject({ live: true, stage: 'CouncilDecision', proposal: { title: housingFirst.title } });

    const keys = await keysIn(after, workflowId);
    expect(new Set(keys)).toEqual(new Set(['k-2025', 'k-2026']));
    // Everything after the first payload under the new key is under the new key.
    expect(keys.slice(keys.indexOf('k-2026')).every((k) => k === 'k-2026')).toBe(true);
  });
});
