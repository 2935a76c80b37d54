import type { Proposal } from '../domain/proposal';
import type { Reason } from '../domain/refusals';
import type { Stage } from '../domain/stages';
import type { Store } from '../store';

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
    await store.events.updateOne(
      { _id: e.key },
      { $setOnInsert: { proposalId: e.proposalId, type: e.type, at: new Date(e.at), by: e.by, details: e.details ?? {} } },
      { upsert: true },
    );
  }

  return {
    recordEvent,

    /** Moves the read model forward only: a late or repeated write of an older stage changes nothing. */
    async recordStage(s: { proposalId: string; stage: Stage; seq: number; at: string; by?: string; reason?: Reason }) {
      await store.proposals.updateOne(
        { _id: s.proposalId, stageSeq: { $lt: s.seq } },
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
    },

    /** Saves a revised draft unless a newer revision is already stored. */
    async saveProposal(r: { proposalId: string; proposal: Proposal; revision: number; by: string; at: string }) {
      await store.proposals.updateOne(
        { _id: r.proposalId, revision: { $lt: r.revision } },
        { $set: { content: r.proposal, revision: r.revision } },
      );
      await recordEvent({
        key: `${r.proposalId}.revision.${r.revision}`,
        proposalId: r.proposalId,
        type: 'revised',
        at: r.at,
        by: r.by,
        details: { revision: r.revision },
      });
    },
  };
}
