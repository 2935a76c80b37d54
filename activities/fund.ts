import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import type { DeadlineSettings } from '../workflows/input';
import { ledger, ledgerRefusal, type LedgerRequest } from './ledger';
import type { Store } from './store';

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

    /** Deadlines as configured now, for stages a workflow reaches that did not exist when it started. */
    async currentDeadlines(): Promise<DeadlineSettings> {
      return config.deadlines;
    },
  };
}
