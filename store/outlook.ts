import type { Store } from '.';
import type { Config } from '../config';
import { contractFlows, grantFlows, projectOutlook, proposalFlows, type Flow } from '../domain/outlook';
import type { Proposal } from '../domain/proposal';
import { approvedUnreservedStages } from '../domain/stages';
import type { LifecycleState } from '../domain/lifecycleState';

const runningStages = ['Contracting', 'Implementation', 'GrantActive'];

/**
 * The fund's outlook as it stands: the ledger's actual movements by year, what signed
 * contracts and grants still expect, and what approved proposals ask for. With
 * `including`, a proposal under decision is counted too, to show what it does.
 */
export async function fundOutlook(config: Config, store: Store, stateOf: (proposalId: string) => Promise<LifecycleState>, including?: string) {
  const today = new Date().toISOString().slice(0, 10);
  const entries = await store.ledger.find({ kind: { $in: ['capital', 'outcomePayment', 'directGrant', 'savingsReturned'] } }).lean();
  const openingCapitalOre = entries.filter((e) => e.kind === 'capital').reduce((s, e) => s + e.amountOre, 0);
  const actual = entries
    .filter((e) => e.kind !== 'capital')
    .map((e) => ({
      year: e.date.getUTCFullYear(),
      paidOre: e.kind === 'outcomePayment' ? e.amountOre : 0,
      grantedOre: e.kind === 'directGrant' ? e.amountOre : 0,
      returnedOre: e.kind === 'savingsReturned' ? e.amountOre : 0,
    }));

  const expected: Flow[] = [];
  const docs = await store.proposals.find({ stage: { $in: [...runningStages, ...approvedUnreservedStages] } }).lean();
  for (const doc of docs) {
    const proposal = doc.content as Proposal;
    if (!runningStages.includes(doc.stage)) {
      expected.push(...proposalFlows(doc._id, proposal, today));
      continue;
    }
    const state = await stateOf(doc._id);
    const contract = state.contracting?.contract;
    if (state.grant) expected.push(...grantFlows(doc._id, state.grant));
    else if (contract?.reservedOre !== undefined) {
      expected.push(...contractFlows(doc._id, proposal, contract, state.implementation, state.cooperationAgreement?.savingsShare, today));
    } else expected.push(...proposalFlows(doc._id, proposal, today));
  }

  const base = { startYear: Number(config.fund.startDate.slice(0, 4)), years: config.fund.outlookYears, openingCapitalOre, actual };
  const without = projectOutlook({ ...base, expected });
  if (!including || docs.some((d) => d._id === including)) return { without };
  const candidate = await store.proposals.findById(including).lean();
  if (!candidate) return { without };
  const withIt = projectOutlook({ ...base, expected: [...expected, ...proposalFlows(candidate._id, candidate.content as Proposal, today)] });
  return { without, with: { proposalId: candidate._id, ...withIt } };
}
