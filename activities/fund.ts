import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import { thresholdsOn, type ProcurementSettings } from '../workflows/domain/procurement';
import type { Proposal } from '../workflows/domain/proposal';
import { approvedUnreservedStages } from '../workflows/domain/stages';
import type { DeadlineSettings } from '../workflows/input';
import { ledger, ledgerRefusal, type LedgerRequest } from './ledger';
import type { Store } from './store';

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

export type BookingResult = { booked: true; seq: number } | { booked: false; refusal: string };

export function fundActivities(store: Store, config: Config) {
  const books = ledger(store);
  return {
    /** Books once per key; a refusal (not enough free or reserved) is an answer for the workflow, not a failure to retry. */
    async bookLedger(r: LedgerRequest): Promise<BookingResult> {
      try {
        const entry = await books.book(r);
        return { booked: true, seq: entry.seq };
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === ledgerRefusal) return { booked: false, refusal: err.message };
        throw err;
      }
    },

    fundPosition: (q: { proposalId: string }) => fundPosition(store, q.proposalId),

    /** Procurement rules as configured on the given day: the newest thresholds that have begun. */
    async procurementSettings(q: { date: string }): Promise<ProcurementSettings> {
      const p = config.procurement;
      return {
        thresholds: thresholdsOn(p.thresholds, q.date),
        minimumTenderDays: p.minimumTenderDays,
        standstillMs: p.standstill,
      };
    },

    /** Deadlines as configured now, for stages a workflow reaches that did not exist when it started. */
    async currentDeadlines(): Promise<DeadlineSettings> {
      return config.deadlines;
    },
  };
}
