import { buildDecisionPaper, renderDecisionPaper } from '../workflows/domain/decisionPaper';
import type { Proposal } from '../workflows/domain/proposal';
import { fundPosition } from './fund';
import type { Store } from './store';

export function decisionPaperActivities(store: Store) {
  return {
    /** One version per council round; a retry finds the version already written. */
    async generateDecisionPaper(g: { proposalId: string; round: number; at: string }): Promise<{ version: number }> {
      const id = `${g.proposalId}.v${g.round}`;
      if (await store.decisionPapers.exists({ _id: id })) return { version: g.round };
      const doc = await store.proposals.findById(g.proposalId).lean();
      if (!doc) throw new Error(`proposal ${g.proposalId} is not in the database`);
      const fund = await fundPosition(store, g.proposalId);
      const paper = buildDecisionPaper(g.proposalId, g.round, doc.content as Proposal, fund, g.at);
      const markdown = renderDecisionPaper(paper);
      await store.decisionPapers.updateOne(
        { _id: id },
        { $setOnInsert: { proposalId: g.proposalId, version: g.round, createdAt: new Date(g.at), paper, markdown } },
        { upsert: true },
      );
      return { version: g.round };
    },
  };
}
