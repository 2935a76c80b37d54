import { randomBytes } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../../workflows/input';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { payloadsIn } from '../support/histories';
import { startStack, type Stack } from '../support/stack';

/**
 * What Temporal holds of a case is ciphertext (its history, its memo), while the
 * application works as before.
 */
describe('encrypted workflow payloads and the codec endpoint', () => {
  let stack: Stack;
  // Words that appear nowhere but in what people typed into this case.
  const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
  const title = marker('Bostotte i Gellerup');
  const revisedTitle = marker('Bostotte i Gellerup og Bispehaven');
  const comment = marker('Kommentar fra Bo');
  let proposalId = '';
  let history: temporal.api.history.v1.IHistory;

  beforeAll(async () => {
    stack = await startStack('encryption');
  });
  afterAll(() => stack?.stop());

  const workflowId = () => workflowIdFor(proposalId);

  /** The history as Temporal stores it: read over gRPC without the codec. */
  async function rawHistory() {
    const { workflowService } = stack.client.connection;
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await workflowService.getWorkflowExecutionHistory({ namespace: stack.config.temporal.namespace, execution: { workflowId: workflowId() }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return { events };
  }

  it('keeps the case working: created, revised, submitted and voted on with a comment, through the API', async () => {
    const [sara, bo] = await Promise.all([stack.as('sara.secretariat'), stack.as('bo.member')]);
    const created = await sara.post('/api/proposals', { ...housingFirst, title });
    expect(created.status).toBe(201);
    proposalId = created.body.id;
    expect((await sara.put(`/api/proposals/${proposalId}`, { ...housingFirst, title: revisedTitle })).status).toBe(200);
    expect((await sara.post(`/api/proposals/${proposalId}/submit`)).status).toBe(200);
    const vote = await eventually(async () => {
      const open = (await bo.get('/api/tasks?assignee=me&status=open')).body.items.find((t: { proposalId: string }) => t.proposalId === proposalId);
      expect(open).toBeDefined();
      return open;
    });
    expect((await bo.post(`/api/tasks/${encodeURIComponent(vote.id)}/complete`, { decision: 'approve', comment })).status).toBe(200);
    const read = await sara.get(`/api/proposals/${proposalId}`);
    expect(read.body).toMatchObject({ proposal: { title: revisedTitle }, stage: 'CouncilDecision' });
    // Through the client with the codec, the memo reads as before: the revised title.
    expect((await stack.client.workflow.getHandle(workflowId()).describe()).memo).toEqual({ title: revisedTitle });
  });

  it('stores no word of it in clear in Temporal: every payload of the history and the memo is encrypted under the current key', async () => {
    history = await rawHistory();
    const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const words of [title, revisedTitle, comment, 'sara.secretariat', 'bo.member']) expect(stored.includes(words)).toBe(false);
    const payloads = payloadsIn(JSON.parse(historyToJSON(history)));
    expect(payloads.length).toBeGreaterThan(20);
    // Only a local activity's marker keeps bookkeeping of the SDK's own in clear (sequence, activity type, times).
    const ours = payloads.filter((p) => !/markerRecordedEventAttributes\.details\.data\./.test(p.at));
    expect(ours.filter((p) => p.encoding !== 'binary/encrypted' || p.keyId !== 'test-histories-1')).toEqual([]);

    const { workflowExecutionInfo } = await stack.client.connection.workflowService.describeWorkflowExecution({
      namespace: stack.config.temporal.namespace,
      execution: { workflowId: workflowId() },
    });
    const memo = workflowExecutionInfo?.memo?.fields?.title;
    expect(Buffer.from(memo?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(memo?.data ?? []).includes(revisedTitle)).toBe(false);
    // Operators still find the case by its search attributes: they stay in clear and hold no personal data.
    const search = workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
    expect(Object.keys(search).sort()).toEqual(expect.arrayContaining(['FundingTrack', 'ProposalId', 'ProposalStage', 'RequestedAmountDKK', 'WelfareArea']));
    expect(Buffer.from(search.ProposalStage?.data ?? []).toString()).toBe('"CouncilDecision"');
  });
});
