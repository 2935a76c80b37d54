import type { Proposal } from '../domain/proposal';
import type { Reason } from '../domain/refusals';
import type { Stage } from '../domain/stages';
import type { Store } from '../store';
import { insertOnce, updateOneSerialised } from '../store/serialised';
import { recordCommitment, type CommitmentRecord } from '../store/commitments';

export interface EventRecord {
  key: string;
  proposalId: string;
  type: string;
  at: string;
  by?: string;
  details?: Record<string, unknown>;
}

export function timelineActivities(store: Store) {
  async function recordEvent(e: EventRecord): Promise<void> {
    await insertOnce(store.events, e.key, { proposalId: e.proposalId, type: e.type, at: new Date(e.at), by: e.by, details: e.details ?? {} });
  }

  return {
    recordEvent,

    /**
     * Moves the read model forward only: a late or repeated write of an older stage changes nothing,
     * nor does a late write from a workflow an operator has stopped. The case's commitment
     * for the outlook moves with it.
     */
    async recordStage(s: { proposalId: string; stage: Stage; seq: number; at: string; by?: string; reason?: Reason; commitment?: Omit<CommitmentRecord, 'proposalId'> }) {
      await updateOneSerialised(
        store,
        store.proposals,
        { _id: s.proposalId, stageSeq: { $lt: s.seq }, stoppedByOperator: { $exists: false } },
        { $set: { stage: s.stage, stageSeq: s.seq, stageChangedAt: new Date(s.at) } },
      );
      await recordEvent({
        key: `${s.proposalId}.stage.${s.seq}`,
        proposalId: s.proposalId,
        type: 'stageChanged',
        at: s.at,
        by: s.by,
        details: { stage: s.stage, ...(s.reason ? { reason: s.reason } : {}) },
      });
      if (s.commitment) await recordCommitment(store, { proposalId: s.proposalId, ...s.commitment });
    },

    /**
     * Makes the draft the API stored the proposal's content, unless a newer revision is
     * already there; then the draft goes. A retry after that finds it gone and changes nothing.
     */
    async adoptDraft(r: { proposalId: string; draftId: string; revision: number; by: string; at: string }) {
      const draft = await store.drafts.findById(r.draftId).lean();
      if (draft) {
        await updateOneSerialised(
          store,
          store.proposals,
          { _id: r.proposalId, revision: { $lt: r.revision } },
          { $set: { content: draft.content as Proposal, revision: r.revision } },
        );
      }
      await recordEvent({
        key: `${r.proposalId}.revision.${r.revision}`,
        proposalId: r.proposalId,
        type: 'revised',
        at: r.at,
        by: r.by,
        details: { revision: r.revision },
      });
      await store.drafts.deleteOne({ _id: r.draftId });
    },
  };
}
