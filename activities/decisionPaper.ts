import { buildDecisionPaper, renderDecisionPaper } from '../workflows/domain/decisionPaper';
import type { Proposal } from '../workflows/domain/proposal';
import type { Ore } from '../workflows/domain/money';
import type { Store } from './store';

/** Stages in which the council has approved and the fund's money is spoken for. */
const committedStages = ['MayoralApproval', 'CooperationAgreement', 'AwaitingProcurement', 'AwaitingGrant'];

export function decisionPaperActivities(store: Store, capitalOre: Ore) {
  return {
    /** One version per council round; a retry finds the version already written. */
    async generateDecisionPaper(g: { proposalId: string; round: number; at: string }): Promise<{ version: number }> {
      const id = `${g.proposalId}.v${g.round}`;
      if (await store.decisionPapers.exists({ _id: id })) return { version: g.round };
      const doc = await store.proposals.findById(g.proposalId).lean();
      if (!doc) throw new Error(`proposal ${g.proposalId} is not in the database`);
      const others = await store.proposals
        .find({ _id: { $ne: g.proposalId }, stage: { $in: committedStages } }, { 'content.businessCase.requestedFromFund': 1 })
        .lean();
      const committedOre = others.reduce((sum, o) => sum + ((o.content as Proposal).businessCase?.requestedFromFund ?? 0), 0);
      const paper = buildDecisionPaper(g.proposalId, g.round, doc.content as Proposal, { capitalOre, committedOre }, g.at);
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
