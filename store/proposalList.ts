import type { ProposalDoc, Store } from '.';
import { serialised, updateOneSerialised } from './serialised';

/**
 * The list of proposals, newest first, read in constant time however many there are.
 * FerretDB sorts and skips in its own process after reading every document a filter
 * matches (at 10,000 proposals a page took seconds), so a page is not sorted: each
 * proposal is numbered in the order it was created (`ordinal`, from 1), numbers are
 * grouped in buckets of BUCKET, and a page reads the few buckets its numbers fall in,
 * by an indexed equality. The count of numbered proposals is kept in `listing`.
 *
 * A new proposal is stored unnumbered (`listed: false`); the next read numbers it.
 * Numbering happens under one lock, so no two proposals share a number.
 */
const BUCKET = 25;
const COUNTER = 'proposals';

export const listBucketOf = (ordinal: number) => Math.floor((ordinal - 1) / BUCKET);

/** At most this many are numbered under one hold of the lock, so a hold stays well inside its lease. */
const BATCH = 20;
const LEASE_MS = 120_000;

/** The number of listed proposals, after numbering those not yet listed. */
async function numberNewProposals(store: Store): Promise<number> {
  const [counter, waiting] = await Promise.all([store.listing.findById(COUNTER).lean(), store.proposals.exists({ listed: false })]);
  if (counter && !waiting) return counter.count;
  for (;;) {
    // Waited for as long as a batch may hold it: behind a burst of numbering, a list is slow, not down.
    const { count, more } = await serialised(store, `listing:${COUNTER}`, () => numberBatch(store), LEASE_MS, LEASE_MS);
    if (!more) return count;
  }
}

/**
 * Numbers up to BATCH proposals, oldest first. A number is taken only when no proposal
 * has it, and only by a proposal without one: should a lock be broken as stale while its
 * holder still works (under a load where 60 numberings took over 30 s, one number was
 * given twice), a proposal is still numbered once, and a number given twice needs both
 * holders to take it at the same instant.
 */
async function numberBatch(store: Store): Promise<{ count: number; more: boolean }> {
  const kept = (await store.listing.findById(COUNTER).lean())?.count;
  let count = kept ?? 0;
  // The first numbering also takes in proposals stored before the list was kept.
  const unlisted = await store.proposals.find(kept === undefined ? { ordinal: { $exists: false } } : { listed: false }, { _id: 1, createdAt: 1 }).lean();
  unlisted.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a._id.localeCompare(b._id));
  for (const { _id } of unlisted.slice(0, BATCH)) {
    // A numbering that died after numbering a proposal but before counting it left that number taken.
    while (await store.proposals.exists({ ordinal: count + 1 })) count++;
    const ordinal = count + 1;
    // A draft deleted meanwhile (its workflow did not start) takes no number.
    const numbered = await updateOneSerialised(
      store,
      store.proposals,
      { _id, ordinal: { $exists: false } },
      { $set: { listed: true, ordinal, listBucket: listBucketOf(ordinal) } },
    );
    if (numbered) count = ordinal;
  }
  if (count !== kept) await store.listing.updateOne({ _id: COUNTER }, { $set: { count } }, { upsert: true });
  return { count, more: unlisted.length > BATCH };
}

/**
 * What a list shows of a proposal, not its whole text: FerretDB still decodes each document
 * it reads, but encodes, sends and the driver decodes only these (a proposal's text is
 * most of its size).
 */
const listedFields = {
  stage: 1,
  createdAt: 1,
  ordinal: 1,
  'content.title': 1,
  'content.welfareArea': 1,
  'content.fundingTrack': 1,
  'content.responsibleDepartment': 1,
  'content.businessCase.requestedFromFund': 1,
};

/** One page of all proposals, newest first, and how many there are: of each, the fields a list shows (`listedFields`). */
export async function proposalListPage(store: Store, page: number, pageSize: number): Promise<{ total: number; docs: ProposalDoc[] }> {
  const total = await numberNewProposals(store);
  const newest = total - (page - 1) * pageSize;
  const oldest = Math.max(1, newest - pageSize + 1);
  if (newest < 1) return { total, docs: [] };
  const buckets: number[] = [];
  for (let b = listBucketOf(oldest); b <= listBucketOf(newest); b++) buckets.push(b);
  const found = await Promise.all(buckets.map((listBucket) => store.proposals.find({ listBucket }, listedFields).lean()));
  const docs = found
    .flat()
    .filter((d) => d.ordinal !== undefined && d.ordinal >= oldest && d.ordinal <= newest)
    .sort((a, b) => b.ordinal! - a.ordinal!);
  return { total, docs };
}
