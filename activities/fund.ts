import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import { thresholdsOn, type ProcurementSettings } from '../domain/procurement';
import type { BookingResult, LedgerRefusal } from '../domain/ledger';
import { ledger, ledgerRefusal, type LedgerRequest } from '../store/ledger';
import type { Store } from '../store';
import { earmark, fundPosition, releaseEarmark, releaseHeld, type EarmarkRequest } from '../store/fund';
import { recordCommitment, type CommitmentRecord } from '../store/commitments';

export function fundActivities(store: Store, config: Config) {
  const books = ledger(store);
  return {
    /**
     * Books once per key; a refusal (not enough free or reserved) is an answer for the workflow, not a failure to retry.
     * The case's commitment for the outlook, as the booking leaves it, is recorded after the entry.
     */
    async bookLedger(r: LedgerRequest & { commitment?: Omit<CommitmentRecord, 'proposalId'> }): Promise<BookingResult> {
      const { commitment, ...request } = r;
      let result: BookingResult;
      try {
        result = { booked: true, seq: (await books.book(request)).seq };
      } catch (err) {
        if (!(err instanceof ApplicationFailure && err.type === ledgerRefusal)) throw err;
        result = { booked: false, refusal: err.details?.[0] as LedgerRefusal };
      }
      if (commitment && r.proposalId) await recordCommitment(store, { proposalId: r.proposalId, ...commitment });
      return result;
    },

    /** A change of what a case expects that no booking or stage change records (a measurement point that earned nothing). */
    recordCommitment: (c: CommitmentRecord) => recordCommitment(store, c),

    fundPosition: (q: { proposalId: string }) => fundPosition(store, q.proposalId),

    /** The council's approval set aside in the ledger, or the answer that the fund cannot cover it. */
    earmarkApproval: (e: EarmarkRequest) => earmark(store, e),

    /** Gives the proposal's earmark back to free capital, if it holds one. */
    releaseEarmark: (r: Omit<EarmarkRequest, 'amountOre'>) => releaseEarmark(store, r),

    /** A stopped case: the secretariat decided to give back what it still holds (reservation and earmark). */
    releaseStoppedCase: (r: { key: string; proposalId: string; date: string; reason: string; by: string }) => releaseHeld(store, r),

    /** Procurement rules as configured on the given day: the newest thresholds that have begun. */
    async procurementSettings(q: { date: string }): Promise<ProcurementSettings> {
      const p = config.procurement;
      return {
        thresholds: thresholdsOn(p.thresholds, q.date),
        minimumTenderMs: p.minimumTenderMs,
        standstillMs: p.standstill,
      };
    },
  };
}
