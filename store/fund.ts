import type { Proposal } from '../domain/proposal';
import { approvedUnreservedStages } from '../domain/stages';
import type { Store } from './index';
import { ledger } from './ledger';

/** Approved proposals the fund has not reserved money for yet, but for the one `exceptProposalId` names. */
export function approvedUnreserved(store: Store, exceptProposalId?: string) {
  return store.proposals
    .find({ ...(exceptProposalId ? { _id: { $ne: exceptProposalId } } : {}), stage: { $in: approvedUnreservedStages } })
    .sort({ _id: 1 })
    .lean();
}

/** Free in the ledger, less what approved proposals will still reserve: what the council may still approve. */
export function positionOf(balances: { capitalOre: number; freeOre: number }, approved: { content: unknown }[]) {
  const committedOre = approved.reduce((sum, o) => sum + ((o.content as Proposal).businessCase?.requestedFromFund ?? 0), 0);
  return { capitalOre: balances.capitalOre, freeOre: balances.freeOre, committedOre, availableOre: balances.freeOre - committedOre };
}

/** The fund as a council decision sees it, the proposal under decision left out. */
export async function fundPosition(store: Store, exceptProposalId: string) {
  const [balances, approved] = await Promise.all([ledger(store).balances(), approvedUnreserved(store, exceptProposalId)]);
  return positionOf(balances, approved);
}
