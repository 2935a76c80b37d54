import { listBucketOf } from '../../store/proposalList';
import { apiAs, interleaved, type Measure } from '../measure';
import { summarize } from '../stats';
import { seededProposalId, seedProposals } from '../volumes';

const proposals = Number(process.env.BENCH_PROPOSALS ?? 10_000);

/** The proposal list's first page and one proposal, among 10,000, against raw driver reads of the same documents. */
export const proposalReads: Measure = {
  name: 'proposals',
  async run(stack) {
    await seedProposals(stack, proposals);
    const sara = await apiAs(stack, 'sara.secretariat');
    const collection = stack.store.proposals.collection;
    const list = await interleaved(
      { n: 100, budgetMs: 90_000 },
      () => sara.get('/api/proposals?page=1'),
      // The same documents the list reads: the kept count and the buckets holding the newest twenty (a sorted scan is no floor: FerretDB sorts in its own process).
      async () => {
        const count = (await stack.store.listing.collection.findOne({ _id: 'proposals' as never }))?.count as number;
        const buckets = [...new Set([listBucketOf(Math.max(1, count - 19)), listBucketOf(count)])];
        return Promise.all(buckets.map((listBucket) => collection.find({ listBucket }).toArray()));
      },
    );
    // Spread over the volume, the same case for the API and the floor.
    const pick = (i: number) => seededProposalId((i * 7_919) % proposals);
    const one = await interleaved(
      { n: 100, budgetMs: 90_000 },
      (i) => sara.get(`/api/proposals/${pick(i)}`),
      (i) => collection.findOne({ _id: pick(i) as never }),
    );
    const at = `at ${proposals.toLocaleString('en')} proposals`;
    return [
      { measure: `\`GET /api/proposals?page=1\` ${at}`, summary: summarize(list.subject), floor: summarize(list.floor), target: { kind: 'latency', at: 'p99', maxMs: 100 } },
      { measure: `\`GET /api/proposals/:id\` ${at}`, summary: summarize(one.subject), floor: summarize(one.floor), target: { kind: 'latency', at: 'p99', maxMs: 100 } },
    ];
  },
};
