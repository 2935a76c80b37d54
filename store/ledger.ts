import { ApplicationFailure } from '@temporalio/activity';
import { admitBooking, effectOf, emptyBalances, type Booking, type EntryKind, type FundBalances, type LedgerRefusal } from '../domain/ledger';
import { refusalText } from '../domain/refusals';
import { formatDkk } from '../domain/money';
import { movementKinds, withActual, type ActualByYear } from '../domain/outlook';
import type { LedgerEntryDoc, Store } from '.';
import { isDuplicateKey } from './serialised';
import { newestEntry, sawEntry } from './ledgerHead';
import { keepRow, rowFields, rowsBetween, type LedgerRow } from './ledgerRows';

export interface LedgerRequest extends Booking {
  /** Derived from workflow id and step: a retried step finds its entry and books nothing more. */
  key: string;
  counterpart?: string;
  date: string; // ISO date of the booking
  reason: string;
  by: string;
  /** Refuse unless this much stays free beyond the booking (what older approvals without an earmark still hold). */
  keepFreeOre?: number;
}

/** Which entries to list, newest first: the API's and the fund page's filters. */
export interface LedgerQuery {
  kind?: EntryKind;
  proposalId?: string;
  from?: string; // ISO dates, both inclusive
  to?: string;
  page: number;
  pageSize: number;
}

/** A booking the fund cannot make: not enough free capital, or not that much reserved. */
export const ledgerRefusal = 'LedgerRefusal';

/** Non-retryable: the refusal's code and parameters are the failure's details. */
const refused = (refusal: LedgerRefusal) => ApplicationFailure.create({ type: ledgerRefusal, nonRetryable: true, message: refusalText(refusal), details: [refusal] });

/**
 * The fund's books as an append-only chain: each entry carries the next sequence
 * number (a unique index) and the balances after it. Booking reads the head,
 * checks the rules, and inserts; of two concurrent bookings only one can take a
 * sequence number, the other reads the new head and checks again. An insert under
 * a unique index is atomic on MongoDB and on FerretDB alike, where a conditional
 * update on a shared fund document is not (two concurrent ones both apply there).
 */
export function ledger(store: Store) {
  async function head(): Promise<
    Pick<LedgerEntryDoc, 'seq' | 'balancesAfter' | 'reservedByProposalAfter' | 'actualByYearAfter'> & { earmarkedByProposalAfter: Record<string, number> }
  > {
    const last = await newestEntry(store);
    if (!last) return { seq: 0, balancesAfter: { ...emptyBalances }, reservedByProposalAfter: {}, earmarkedByProposalAfter: {}, actualByYearAfter: {} };
    // Entries written before earmarks existed have none.
    return {
      seq: last.seq,
      balancesAfter: { ...emptyBalances, ...last.balancesAfter },
      reservedByProposalAfter: last.reservedByProposalAfter,
      earmarkedByProposalAfter: last.earmarkedByProposalAfter ?? {},
      actualByYearAfter: last.actualByYearAfter,
    };
  }

  /** The yearly totals of a chain whose newest entry predates them: summed from its entries once, then carried. */
  async function actualByYearOf(at: { actualByYearAfter?: ActualByYear }): Promise<ActualByYear> {
    if (at.actualByYearAfter) return at.actualByYearAfter;
    const entries = await store.ledger.find({ kind: { $in: movementKinds } }, { kind: 1, amountOre: 1, date: 1 }).lean();
    return entries.reduce(withActual, {});
  }

  async function existing(r: LedgerRequest) {
    const entry = await store.ledger.findById(r.key).lean();
    if (entry && (entry.kind !== r.kind || entry.amountOre !== r.amountOre || (entry.proposalId ?? undefined) !== r.proposalId)) {
      throw refused({ code: 'ledgerKeyReused', key: r.key });
    }
    return entry;
  }

  async function book(r: LedgerRequest): Promise<LedgerEntryDoc> {
    effectOf(r); // throws on a malformed booking, before anything is written
    for (;;) {
      const done = await existing(r);
      if (done) return done;
      const at = await head();
      const { seq, balancesAfter, reservedByProposalAfter, earmarkedByProposalAfter } = at;
      const reserved = r.proposalId ? (reservedByProposalAfter[r.proposalId] ?? 0) : 0;
      const earmarked = r.proposalId ? (earmarkedByProposalAfter[r.proposalId] ?? 0) : 0;
      // A reservation takes over the proposal's whole earmark, under the same place in the chain.
      const admission = admitBooking(r, { freeOre: balancesAfter.freeOre, reservedOre: reserved, earmarkedOre: earmarked });
      if (!admission.admitted) {
        // A concurrent attempt at this same booking may have been booked since we looked: that is its answer.
        const meanwhile = await existing(r);
        if (meanwhile) return meanwhile;
        throw refused(admission.refusal);
      }
      const { effect, fromEarmarkOre } = admission;
      const after = { ...balancesAfter };
      for (const [k, v] of Object.entries(effect.delta)) after[k as keyof FundBalances] += v;
      const reservedAfter = { ...reservedByProposalAfter };
      if (effect.reservedDelta !== 0) reservedAfter[r.proposalId!] = reserved + effect.reservedDelta;
      const earmarkedAfter = { ...earmarkedByProposalAfter };
      if (effect.earmarkedDelta !== 0) earmarkedAfter[r.proposalId!] = earmarked + effect.earmarkedDelta;
      try {
        const created = await store.ledger.create({
          _id: r.key,
          seq: seq + 1,
          kind: r.kind,
          amountOre: r.amountOre,
          proposalId: r.proposalId,
          fromReservation: r.fromReservation ?? false,
          ...(fromEarmarkOre ? { fromEarmarkOre } : {}),
          counterpart: r.counterpart,
          date: new Date(r.date),
          reason: r.reason,
          by: r.by,
          createdAt: new Date(),
          balancesAfter: after,
          reservedByProposalAfter: reservedAfter,
          earmarkedByProposalAfter: earmarkedAfter,
          actualByYearAfter: withActual(await actualByYearOf(at), { kind: r.kind, amountOre: r.amountOre, date: new Date(r.date) }),
        });
        sawEntry(store, created.seq);
        // Should this fail, the entry stands, and the first page that lacks its row reads the entry and keeps it.
        await keepRow(store, created.toObject());
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another booking took this place, or this one is already in: look again
        throw err;
      }
    }
  }

  /** A page of the whole chain, newest first: the chain is unbroken, so its length is the head's number and a page the numbers below it. */
  async function chainPage(page: number, pageSize: number): Promise<{ total: number; entries: LedgerRow[] }> {
    const total = (await newestEntry(store))?.seq ?? 0;
    const top = total - (page - 1) * pageSize;
    return { total, entries: await rowsBetween(store, Math.max(1, top - pageSize + 1), top) };
  }

  return {
    book,
    async balances(): Promise<FundBalances & { reservedByProposal: Record<string, number>; earmarkedByProposal: Record<string, number> }> {
      const { balancesAfter, reservedByProposalAfter, earmarkedByProposalAfter } = await head();
      return { ...balancesAfter, reservedByProposal: reservedByProposalAfter, earmarkedByProposal: earmarkedByProposalAfter };
    },
    /** The capital and what was paid, granted and returned each year, from the newest entry alone (the outlook's past). */
    async actuals(): Promise<{ capitalOre: number; byYear: ActualByYear }> {
      // Not the head's maps by proposal, which grow with the cases.
      const last = await newestEntry(store);
      return { capitalOre: last?.balancesAfter.capitalOre ?? 0, byYear: last ? await actualByYearOf(last) : {} };
    },
    async entries(q: LedgerQuery): Promise<{ total: number; entries: LedgerRow[] }> {
      if (!q.kind && !q.proposalId && !q.from && !q.to) return chainPage(q.page, q.pageSize);
      const filter: Record<string, unknown> = {};
      if (q.kind) filter.kind = q.kind;
      if (q.proposalId) filter.proposalId = q.proposalId;
      if (q.from || q.to) filter.date = { ...(q.from ? { $gte: new Date(q.from) } : {}), ...(q.to ? { $lte: new Date(q.to) } : {}) };
      const [total, entries] = await Promise.all([
        store.ledger.countDocuments(filter),
        store.ledger
          .find(filter, rowFields)
          .sort({ seq: -1 })
          .skip((q.page - 1) * q.pageSize)
          .limit(q.pageSize)
          .lean<LedgerRow[]>(),
      ]);
      return { total, entries };
    },
    /**
     * The opening balance, booked once however often the system starts. A setting changed
     * since does not change the books, nor keep the system from starting: the ledger's
     * figure stands, and the difference is said in the log.
     */
    async open(capitalOre: number, date: string) {
      const booked = await store.ledger.findById('opening-balance', { amountOre: 1 }).lean();
      if (booked) {
        if (booked.amountOre !== capitalOre) {
          console.warn(
            `fund.openingCapital is ${formatDkk(capitalOre)} DKK in the settings, but the fund was opened with ${formatDkk(booked.amountOre)} DKK: the ledger's figure stands`,
          );
        }
        return;
      }
      await book({ key: 'opening-balance', kind: 'capital', amountOre: capitalOre, date, reason: 'Fondens startkapital', by: 'system' });
    },
  };
}
export type Ledger = ReturnType<typeof ledger>;
