import { committingStages, termsOf, type Commitment } from '../domain/commitment';
import type { Proposal } from '../domain/proposal';
import type { Store } from './index';
import { isDuplicateKey, updateOneSerialised } from './serialised';
import { markChanged } from './changeMarks';

/** A case's commitment as its workflow knew it when it scheduled the write: `seq` is the workflow's history length then. */
export interface CommitmentRecord {
  proposalId: string;
  seq: number;
  commitment: Commitment;
}

/**
 * Records what one case holds of the fund's future, for the outlook. Moves forward
 * only: a retried or late write (a lower `seq`) changes nothing, and nothing is written
 * after an operator stopped the case. A case that never committed anything (a draft, a
 * council round) gets no document; one that leaves the committing stages stays, uncounted.
 */
export async function recordCommitment(store: Store, r: CommitmentRecord): Promise<void> {
  const counted = committingStages.includes(r.commitment.stage);
  const filter = { _id: r.proposalId, seq: { $lt: r.seq }, stopped: { $ne: true } };
  if (!counted) {
    const written = await updateOneSerialised(store, store.commitments, filter, {
      $set: { seq: r.seq, stage: r.commitment.stage, counted, commitment: r.commitment, updatedAt: new Date() },
    });
    await markIfWritten(store, r, written);
    return;
  }
  const doc = await store.proposals.findById(r.proposalId, { content: 1 }).lean();
  if (!doc) throw new Error(`proposal ${r.proposalId} is not in the database`);
  const content = doc.content as Proposal;
  const update = { $set: { seq: r.seq, stage: r.commitment.stage, counted, terms: termsOf(content), title: content.title, commitment: r.commitment, updatedAt: new Date() } };
  let written = false;
  try {
    written = await updateOneSerialised(store, store.commitments, filter, update, { upsert: true });
  } catch (err) {
    // The upsert met the case's document with a newer write (or stopped): that one stands.
    if (!isDuplicateKey(err)) throw err;
  }
  await markIfWritten(store, r, written);
}

/**
 * Marks the change for the outlook (store/changeMarks.ts) when this write changed the
 * document, or when it is a retry of the write in place (the first try may have stopped
 * before its mark); a write that an older or newer one outdid marks nothing, so the
 * outlook is not read again for nothing.
 */
async function markIfWritten(store: Store, r: CommitmentRecord, written: boolean) {
  if (written || (await store.commitments.exists({ _id: r.proposalId, seq: r.seq }))) await markChanged(store, 'commitments');
}

/**
 * The operator stopped the case's workflow: it drops out of the outlook, and what the workflow still writes is ignored.
 * Marked only when it changed something: the reconciler repeats this for a stopped case (and for one with no
 * commitment) on each pass. Should the process die between the write and its mark, the outlook shows the case
 * until the next change of any commitment, or the next day.
 */
export async function stopCommitment(store: Store, proposalId: string): Promise<void> {
  const stopped = await updateOneSerialised(
    store,
    store.commitments,
    { _id: proposalId, stopped: { $ne: true } },
    { $set: { stage: 'StoppedByOperator', counted: false, stopped: true, updatedAt: new Date() } },
  );
  if (stopped) await markChanged(store, 'commitments');
}
