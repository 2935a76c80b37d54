import { buildDecisionPaper, renderDecisionPaper } from '../domain/decisionPaper';
import type { Proposal } from '../domain/proposal';
import type { Config } from '../config';
import { fundPosition } from '../store/fund';
import { fundOutlook } from '../store/outlook';
import type { Store } from '../store';
import { insertOnce } from '../store/serialised';

export function decisionPaperActivities(store: Store, config: Config) {
  return {
    /** One version per council round; a retry finds the version already written. */
    async generateDecisionPaper(g: { proposalId: string; round: number; at: string }): Promise<{ version: number }> {
      const id = `${g.proposalId}.v${g.round}`;
      if (await store.decisionPapers.exists({ _id: id })) return { version: g.round };
      const doc = await store.proposals.findById(g.proposalId).lean();
      if (!doc) throw new Error(`proposal ${g.proposalId} is not in the database`);
      const fund = await fundPosition(store, g.proposalId);
      // The council decides with the outlook before it, without and with the proposal.
      const o = await fundOutlook(config, store, g.proposalId);
      const withIt = o.with ?? o.without;
      const outlook = {
        withoutRunsDryIn: o.without.runsDryIn,
        withRunsDryIn: withIt.runsDryIn,
        years: o.without.years.map((y, i) => ({ year: y.year, freeWithoutOre: y.freeAtYearEndOre, freeWithOre: withIt.years[i]?.freeAtYearEndOre ?? y.freeAtYearEndOre })),
      };
      const paper = buildDecisionPaper(g.proposalId, g.round, doc.content as Proposal, fund, g.at, outlook);
      const markdown = renderDecisionPaper(paper);
      await insertOnce(store.decisionPapers, id, { proposalId: g.proposalId, version: g.round, createdAt: new Date(g.at), paper, markdown });
      return { version: g.round };
    },
  };
}
