import { housingFirst } from '../../test/fixtures/proposals';
import { proposalSummary, proposalSchema } from '../../domain/proposal';
import { wholeKroner } from '../../domain/money';
import { workflowIdFor } from '../../workflows/input';
import { FundingTrack, ProposalId, ProposalStage, RequestedAmountDKK, WelfareArea } from '../../workflows/searchAttributes';
import { apiAs, interleaved, type Measure } from '../measure';
import { summarize } from '../stats';

/**
 * `POST /api/proposals` against a raw `client.workflow.start` of the same workflow with the
 * same input, memo and search attributes: what the API adds to a start (its checks, the case
 * number, the read model's record, idempotency) as a multiple of the start itself.
 */
export const proposalStart: Measure = {
  name: 'start',
  async run(stack) {
    const sara = await apiAs(stack, 'sara.secretariat');
    const summary = proposalSummary(proposalSchema.parse(housingFirst));
    const samples = await interleaved(
      { n: Number(process.env.BENCH_STARTS ?? 100), warmUp: 5 },
      () => sara.post('/api/proposals', housingFirst),
      (i) => {
        const proposalId = `BENCH-RAW-${i}`;
        return stack.client.workflow.start('proposalLifecycle', {
          taskQueue: stack.config.temporal.taskQueue,
          workflowId: workflowIdFor(proposalId),
          args: [{ proposalId, createdBy: 'sara.secretariat', summary, deadlines: stack.config.deadlines }],
          memo: { title: summary.title },
          typedSearchAttributes: [
            { key: ProposalId, value: proposalId },
            { key: ProposalStage, value: 'Motivation' },
            { key: WelfareArea, value: summary.welfareArea },
            { key: FundingTrack, value: summary.fundingTrack },
            { key: RequestedAmountDKK, value: wholeKroner(summary.requestedOre) },
          ],
        });
      },
    );
    return [
      {
        measure: '`POST /api/proposals` vs raw `client.workflow.start`',
        summary: summarize(samples.subject),
        floor: summarize(samples.floor),
        target: { kind: 'ratio', max: 1.3 },
      },
    ];
  },
};
