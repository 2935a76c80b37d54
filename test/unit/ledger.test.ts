import { admitBooking, balancesOf, effectOf } from '../../domain/ledger';

describe('ledger rules', () => {
  it('lets an outcome payment come from the reservation or from free capital', () => {
    expect(effectOf({ kind: 'outcomePayment', amountOre: 100, proposalId: 'P', fromReservation: true })).toMatchObject({
      delta: { paidOre: 100, reservedOre: -100 },
      needsReserved: 100,
      needsFree: 0,
    });
    expect(effectOf({ kind: 'outcomePayment', amountOre: 100 })).toMatchObject({ delta: { paidOre: 100, freeOre: -100 }, needsFree: 100 });
  });

  it("pays a grant's tranche from the grant's reservation, needing no free capital", () => {
    expect(effectOf({ kind: 'directGrant', amountOre: 100, proposalId: 'P', fromReservation: true })).toMatchObject({
      delta: { grantedOre: 100, reservedOre: -100 },
      reservedDelta: -100,
      needsReserved: 100,
      needsFree: 0,
    });
    expect(() => effectOf({ kind: 'directGrant', amountOre: 100, fromReservation: true })).toThrow(/belongs to a proposal/);
    expect(admitBooking({ kind: 'directGrant', amountOre: 100, proposalId: 'P', fromReservation: true }, { freeOre: 0, reservedOre: 100, earmarkedOre: 0 })).toMatchObject({
      admitted: true,
    });
  });

  it('refuses amounts that are not positive whole øre, and reservations without a proposal', () => {
    expect(() => effectOf({ kind: 'capital', amountOre: 0 })).toThrow(/positive whole number/);
    expect(() => effectOf({ kind: 'capital', amountOre: 10.5 })).toThrow(/positive whole number/);
    expect(() => effectOf({ kind: 'reservation', amountOre: 10 })).toThrow(/belongs to a proposal/);
  });

  it('adds up: free = capital + returns − reservations − grants − uncovered payments', () => {
    const b = balancesOf([
      { kind: 'capital', amountOre: 4_000_000_000 },
      { kind: 'reservation', amountOre: 2_300_000_000, proposalId: 'P' },
      { kind: 'outcomePayment', amountOre: 500_000_000, proposalId: 'P', fromReservation: true },
      { kind: 'outcomePayment', amountOre: 1_000, proposalId: 'Q' },
      { kind: 'directGrant', amountOre: 100_000_000 },
      { kind: 'savingsReturned', amountOre: 50_000_000 },
      { kind: 'release', amountOre: 300_000_000, proposalId: 'P' },
    ]);
    expect(b).toEqual({
      capitalOre: 4_000_000_000,
      reservedOre: 1_500_000_000,
      paidOre: 500_001_000,
      grantedOre: 100_000_000,
      returnedOre: 50_000_000,
      earmarkedOre: 0,
      freeOre: 4_000_000_000 + 50_000_000 - 2_300_000_000 + 300_000_000 - 100_000_000 - 1_000,
    });
  });

  it('takes an earmark from free capital, and a reservation turns the whole earmark into money reserved', () => {
    const b = balancesOf([
      { kind: 'capital', amountOre: 4_000_000_000 },
      { kind: 'earmark', amountOre: 2_300_000_000, proposalId: 'P' },
      { kind: 'earmark', amountOre: 500_000_000, proposalId: 'Q' },
      // P's contract caps below what was approved: the rest of the earmark is free again.
      { kind: 'reservation', amountOre: 2_000_000_000, proposalId: 'P', fromEarmarkOre: 2_300_000_000 },
      { kind: 'earmarkRelease', amountOre: 500_000_000, proposalId: 'Q' },
    ]);
    expect(b).toEqual({ capitalOre: 4_000_000_000, reservedOre: 2_000_000_000, paidOre: 0, grantedOre: 0, returnedOre: 0, earmarkedOre: 0, freeOre: 2_000_000_000 });
    expect(effectOf({ kind: 'reservation', amountOre: 300, proposalId: 'P', fromEarmarkOre: 200 })).toMatchObject({ needsFree: 100, needsEarmarked: 200, earmarkedDelta: -200 });
    expect(() => effectOf({ kind: 'earmark', amountOre: 10 })).toThrow(/belongs to a proposal/);
  });

  it('admits a booking where the books stand: a reservation takes the whole earmark over; too little free, earmarked or reserved is refused', () => {
    const at = { freeOre: 1_000, reservedOre: 0, earmarkedOre: 500 };
    expect(admitBooking({ kind: 'reservation', amountOre: 1_200, proposalId: 'P' }, at)).toMatchObject({
      admitted: true,
      fromEarmarkOre: 500,
      effect: { needsFree: 700, earmarkedDelta: -500 },
    });
    expect(admitBooking({ kind: 'reservation', amountOre: 1_600, proposalId: 'P' }, at)).toEqual({
      admitted: false,
      refusal: { code: 'fundTooLow', freeOre: 1_000, kind: 'reservation', amountOre: 1_600 },
    });
    // What older approvals still hold is kept free.
    expect(admitBooking({ kind: 'earmark', amountOre: 800, proposalId: 'Q', keepFreeOre: 300 }, { ...at, earmarkedOre: 0 })).toMatchObject({
      admitted: false,
      refusal: { code: 'fundTooLow', freeOre: 700 },
    });
    expect(admitBooking({ kind: 'earmarkRelease', amountOre: 600, proposalId: 'P' }, at)).toEqual({
      admitted: false,
      refusal: { code: 'earmarkTooLow', earmarkedOre: 500, kind: 'earmarkRelease', amountOre: 600 },
    });
    expect(admitBooking({ kind: 'release', amountOre: 1, proposalId: 'P' }, at)).toEqual({
      admitted: false,
      refusal: { code: 'reservationTooLow', proposalId: 'P', reservedOre: 0, kind: 'release', amountOre: 1 },
    });
    // Only a reservation takes an earmark over.
    expect(admitBooking({ kind: 'directGrant', amountOre: 100, proposalId: 'P' }, at)).toMatchObject({ admitted: true, fromEarmarkOre: undefined });
  });
});
