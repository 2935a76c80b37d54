import type { Ore } from './money';

/**
 * How often the fund may refuse to reserve for one case (a contract's cap, a grant) for
 * want of free capital before it is asked no more: each attempt is tasks and a booking
 * in the case's history, which must stay bounded whatever people do.
 */
export const reservationRefusalsPerCase = 20;
/** Whether that many refusals are as many as the fund gives: no new attempt is taken or asked for. */
export const reservationRefusalsExhausted = (refusals = 0) => refusals >= reservationRefusalsPerCase;

/** Every movement of the fund's money is one of these (bogføringstyper). */
export const entryKinds = ['capital', 'earmark', 'earmarkRelease', 'reservation', 'release', 'outcomePayment', 'directGrant', 'savingsReturned'] as const;
export type EntryKind = (typeof entryKinds)[number];

export interface FundBalances {
  capitalOre: Ore;
  reservedOre: Ore;
  paidOre: Ore;
  grantedOre: Ore;
  returnedOre: Ore;
  /** Approved by the council's votes, not yet reserved by a contract or grant (nor given back). */
  earmarkedOre: Ore;
  /** capital + returns − earmarks − reservations − grants − payments not covered by a reservation; never below zero. */
  freeOre: Ore;
}

export interface Booking {
  kind: EntryKind;
  amountOre: Ore;
  proposalId?: string;
  /** A payment (an outcome payment, a grant's tranche) drawn from the proposal's reservation rather than from free capital. */
  fromReservation?: boolean;
  /** A reservation that turns the proposal's earmark into money reserved: the whole earmark, set by the ledger. */
  fromEarmarkOre?: Ore;
}

/** What a booking changes, and what must be there before it may: the rule both the database and tests apply. */
export function effectOf(b: Booking): {
  delta: Partial<FundBalances>;
  reservedDelta: Ore;
  earmarkedDelta: Ore;
  needsFree: Ore;
  needsReserved: Ore;
  needsEarmarked: Ore;
} {
  const a = b.amountOre;
  if (!Number.isSafeInteger(a) || a <= 0) throw new Error(`a booking is a positive whole number of øre, not ${a}`);
  const e = b.kind === 'reservation' ? (b.fromEarmarkOre ?? 0) : 0;
  if (!Number.isSafeInteger(e) || e < 0) throw new Error(`an earmark is a whole number of øre, not ${e}`);
  const needsProposal =
    b.kind === 'reservation' ||
    b.kind === 'release' ||
    b.kind === 'earmark' ||
    b.kind === 'earmarkRelease' ||
    ((b.kind === 'outcomePayment' || b.kind === 'directGrant') && b.fromReservation);
  if (needsProposal && !b.proposalId) throw new Error(`a ${b.kind} belongs to a proposal`);
  const none = { reservedDelta: 0, earmarkedDelta: 0, needsFree: 0, needsReserved: 0, needsEarmarked: 0 };
  /** Money paid out, counted under `paid`: from the case's reservation, or from free capital. */
  const payment = (paid: { paidOre: Ore } | { grantedOre: Ore }) =>
    b.fromReservation ? { ...none, delta: { ...paid, reservedOre: -a }, reservedDelta: -a, needsReserved: a } : { ...none, delta: { ...paid, freeOre: -a }, needsFree: a };
  switch (b.kind) {
    case 'capital':
      return { ...none, delta: { capitalOre: a, freeOre: a } };
    case 'savingsReturned':
      return { ...none, delta: { returnedOre: a, freeOre: a } };
    case 'earmark':
      return { ...none, delta: { earmarkedOre: a, freeOre: -a }, earmarkedDelta: a, needsFree: a };
    case 'earmarkRelease':
      return { ...none, delta: { earmarkedOre: -a, freeOre: a }, earmarkedDelta: -a, needsEarmarked: a };
    case 'reservation':
      // The earmark becomes part of the reservation; a cap below it gives the rest back to free capital.
      return {
        ...none,
        delta: { reservedOre: a, ...(e ? { earmarkedOre: -e } : {}), freeOre: e - a },
        reservedDelta: a,
        earmarkedDelta: -e,
        needsFree: Math.max(0, a - e),
        needsEarmarked: e,
      };
    case 'release':
      return { ...none, delta: { reservedOre: -a, freeOre: a }, reservedDelta: -a, needsReserved: a };
    case 'directGrant':
      return payment({ grantedOre: a });
    case 'outcomePayment':
      return payment({ paidOre: a });
  }
}

/** Where the books stand for one booking: the fund's free capital, and what the booking's proposal holds. */
export interface LedgerPlace {
  freeOre: Ore;
  reservedOre: Ore;
  earmarkedOre: Ore;
}

/**
 * Whether a booking may be made where the books stand, and what it then changes: a
 * reservation takes over the proposal's whole earmark; refused if it needs more free
 * than there is beyond `keepFreeOre`, or more than the proposal has earmarked or reserved.
 * The rule the database's ledger and the tests' fake ledger both apply.
 */
export function admitBooking(
  b: Booking & { keepFreeOre?: Ore },
  at: LedgerPlace,
): { admitted: true; effect: ReturnType<typeof effectOf>; fromEarmarkOre?: Ore } | { admitted: false; refusal: LedgerRefusal } {
  const fromEarmarkOre = b.kind === 'reservation' && at.earmarkedOre > 0 ? at.earmarkedOre : undefined;
  const effect = effectOf({ ...b, fromEarmarkOre });
  const keepFree = b.keepFreeOre ?? 0;
  if (effect.needsFree > 0 && effect.needsFree + keepFree > at.freeOre) {
    return { admitted: false, refusal: { code: 'fundTooLow', freeOre: Math.max(0, at.freeOre - keepFree), kind: b.kind, amountOre: b.amountOre } };
  }
  if (effect.needsEarmarked > at.earmarkedOre) {
    return { admitted: false, refusal: { code: 'earmarkTooLow', earmarkedOre: at.earmarkedOre, kind: b.kind, amountOre: b.amountOre } };
  }
  if (effect.needsReserved > at.reservedOre) {
    return { admitted: false, refusal: { code: 'reservationTooLow', proposalId: b.proposalId!, reservedOre: at.reservedOre, kind: b.kind, amountOre: b.amountOre } };
  }
  return { admitted: true, effect, fromEarmarkOre };
}

export const emptyBalances: FundBalances = { capitalOre: 0, reservedOre: 0, paidOre: 0, grantedOre: 0, returnedOre: 0, earmarkedOre: 0, freeOre: 0 };

/** Balances recomputed from the entries alone: the check that every øre adds up. */
export function balancesOf(bookings: readonly Booking[]): FundBalances {
  const totals = { ...emptyBalances };
  for (const b of bookings) {
    for (const [k, v] of Object.entries(effectOf(b).delta)) totals[k as keyof FundBalances] += v;
  }
  return totals;
}

/** Why the ledger refuses a booking; one part of the catalogue in refusals.ts. */
export type LedgerRefusal =
  | { code: 'fundTooLow'; freeOre: Ore; kind: EntryKind; amountOre: Ore }
  | { code: 'reservationTooLow'; proposalId: string; reservedOre: Ore; kind: EntryKind; amountOre: Ore }
  | { code: 'earmarkTooLow'; earmarkedOre: Ore; kind: EntryKind; amountOre: Ore }
  | { code: 'ledgerKeyReused'; key: string };

/** A booking's answer: a refusal (not enough free or reserved) is an answer for the workflow, not a failure. */
export type BookingResult = { booked: true; seq: number } | { booked: false; refusal: LedgerRefusal };
