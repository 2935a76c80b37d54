import type { Store } from '.';
import type { Config } from '../config';
import { committingStages, termsOf, type Commitment, type OutlookTerms } from '../domain/commitment';
import { actualList, caseFlows, projectOutlook, proposalFlows } from '../domain/outlook';
import { ledger } from './ledger';
import type { Proposal } from '../domain/proposal';

/**
 * The fund's outlook as it stands: the ledger's actual movements by year (carried in its newest entry), what signed
 * contracts and grants still expect, and what approved proposals ask for, all from the
 * commitments read model (store/commitments.ts), so no workflow is asked and one that
 * cannot answer changes nothing. With `including`, a proposal under decision is
 * counted too, to show what it does.
 */
export async function fundOutlook(config: Config, store: Store, including?: string) {
  const today = new Date().toISOString().slice(0, 10);
  const [{ capitalOre, byYear }, docs] = await Promise.all([ledger(store).actuals(), store.commitments.find({ counted: true }, { terms: 1, commitment: 1 }).lean()]);
  const expected = docs.flatMap((d) => caseFlows(d._id, d.terms as OutlookTerms, d.commitment as Commitment, today));

  const base = { startYear: Number(config.fund.startDate.slice(0, 4)), years: config.fund.outlookYears, openingCapitalOre: capitalOre, actual: actualList(byYear) };
  const without = projectOutlook({ ...base, expected });
  if (!including || docs.some((d) => d._id === including)) return { without };
  const candidate = await store.proposals.findById(including, { content: 1, stage: 1 }).lean();
  // A case the outlook counts, but whose commitment is not recorded yet, is not added a second time.
  if (!candidate || committingStages.includes(candidate.stage as Commitment['stage'])) return { without };
  const withIt = projectOutlook({ ...base, expected: [...expected, ...proposalFlows(candidate._id, termsOf(candidate.content as Proposal), today)] });
  return { without, with: { proposalId: candidate._id, ...withIt } };
}
