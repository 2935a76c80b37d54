import type { Ore } from './money';

/** Every movement of the fund's money is one of these (bogføringstyper). */
export const entryKinds = ['capital', 'reservation', 'release', 'outcomePayment', 'directGrant', 'savingsReturned'] as const;
export type EntryKind = (typeof entryKinds)[number];

export interface FundBalances {
  capitalOre: Ore;
  reservedOre: Ore;
  paidOre: Ore;
  grantedOre: Ore;
  returnedOre: Ore;
  /** capital + returns − reservations − grants − payments not covered by a reservation; never below zero. */
  freeOre: Ore;
}

export interface Booking {
  kind: EntryKind;
  amountOre: Ore;
  proposalId?: string;
  /** An outcome payment drawn from the proposal's reservation rather than from free capital. */
  fromReservation?: boolean;
}

/** What a booking changes, and what must be there before it may: the rule both the database and tests apply. */
export function effectOf(b: Booking): { delta: Partial<FundBalances>; reservedDelta: Ore; needsFree: Ore; needsReserved: Ore } {
  const a = b.amountOre;
  if (!Number.isSafeInteger(a) || a <= 0) throw new Error(`a booking is a positive whole number of øre, not ${a}`);
  const needsProposal = b.kind === 'reservation' || b.kind === 'release' || (b.kind === 'outcomePayment' && b.fromReservation);
  if (needsProposal && !b.proposalId) throw new Error(`a ${b.kind} belongs to a proposal`);
  switch (b.kind) {
    case 'capital':
      return { delta: { capitalOre: a, freeOre: a }, reservedDelta: 0, needsFree: 0, needsReserved: 0 };
    case 'savingsReturned':
      return { delta: { returnedOre: a, freeOre: a }, reservedDelta: 0, needsFree: 0, needsReserved: 0 };
    case 'reservation':
      return { delta: { reservedOre: a, freeOre: -a }, reservedDelta: a, needsFree: a, needsReserved: 0 };
    case 'release':
      return { delta: { reservedOre: -a, freeOre: a }, reservedDelta: -a, needsFree: 0, needsReserved: a };
    case 'directGrant':
      return { delta: { grantedOre: a, freeOre: -a }, reservedDelta: 0, needsFree: a, needsReserved: 0 };
    case 'outcomePayment':
      return b.fromReservation
        ? { delta: { paidOre: a, reservedOre: -a }, reservedDelta: -a, needsFree: 0, needsReserved: a }
        : { delta: { paidOre: a, freeOre: -a }, reservedDelta: 0, needsFree: a, needsReserved: 0 };
  }
}

export const emptyBalances: FundBalances = { capitalOre: 0, reservedOre: 0, paidOre: 0, grantedOre: 0, returnedOre: 0, freeOre: 0 };

/** Balances recomputed from the entries alone: the check that every øre adds up. */
export function balancesOf(bookings: readonly Booking[]): FundBalances {
  const totals = { ...emptyBalances };
  for (const b of bookings) {
    for (const [k, v] of Object.entries(effectOf(b).delta)) totals[k as keyof FundBalances] += v;
  }
  return totals;
}

/** A booking's answer: a refusal (not enough free or reserved) is an answer for the workflow, not a failure. */
export type BookingResult = { booked: true; seq: number } | { booked: false; refusal: string };
