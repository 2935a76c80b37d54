import { ceilingOre } from '../../domain/directFinancing';
import { outcomePayment, savingsShare, savingsShareThrough } from '../../domain/payout';
import { outcomeReportInput, outcomeVerificationInput } from '../../domain/outcomeInputs';

const rateCard = [
  { metric: 'Gennemført forløb', pricePerUnitOre: 1_000_000, maxPaymentOre: 300_000_000 }, // 10,000 DKK a citizen, at most 3 million
  { metric: 'HbA1c-fald ≥ 8,5 %', pricePerUnitOre: 2_500_000, maxPaymentOre: 500_000_000 }, // 25,000 DKK a citizen, at most 5 million
];
const none = { perMetricOre: {}, totalOre: 0 };

describe('outcome payments', () => {
  it('pays units times price per metric', () => {
    const p = outcomePayment(rateCard, { 'Gennemført forløb': 60, 'HbA1c-fald ≥ 8,5 %': 40 }, none, 1_330_000_000, 1_330_000_000);
    expect(p.lines.map((l) => l.amountOre)).toEqual([60_000_000, 100_000_000]);
    expect(p.totalOre).toBe(160_000_000);
  });

  it('caps a metric at what is left of its maximum', () => {
    const p = outcomePayment(rateCard, { 'Gennemført forløb': 100 }, { perMetricOre: { 'Gennemført forløb': 250_000_000 }, totalOre: 250_000_000 }, 1_330_000_000, 1_080_000_000);
    expect(p.lines[0]).toMatchObject({ earnedOre: 100_000_000, amountOre: 50_000_000, capped: true });
  });

  it('shows what a claim beyond all reason earns as a whole number of øre, and pays the maximum', () => {
    const p = outcomePayment([{ ...rateCard[0], pricePerUnitOre: 10_000_000_000_000 }], { 'Gennemført forløb': 10_000_000 }, none, 1_330_000_000, 1_330_000_000);
    expect(p.lines[0]).toMatchObject({ earnedOre: Number.MAX_SAFE_INTEGER, amountOre: 300_000_000, capped: true });
  });

  it('takes units a city can count, and refuses a slip of the keyboard beyond ten million', () => {
    const report = (unitsAchieved: number) => outcomeReportInput.safeParse({ results: [{ metric: 'Gennemført forløb', unitsAchieved, evidence: 'Registerudtræk' }] });
    expect(report(10_000_000).success).toBe(true);
    expect(report(10_000_001).error?.issues.map((i) => i.path.join('.'))).toEqual(['results.0.unitsAchieved']);
    const correction = outcomeVerificationInput.safeParse({ confirmed: false, corrected: [{ metric: 'Gennemført forløb', units: 9_007_199_254_740_991 }], note: 'Rettet' });
    expect(correction.error?.issues.map((i) => i.path.join('.'))).toEqual(['corrected.0.units']);
  });

  it("never pays beyond the contract's cap or the reservation", () => {
    const overClaim = { 'Gennemført forløb': 10_000, 'HbA1c-fald ≥ 8,5 %': 10_000 };
    expect(outcomePayment(rateCard, overClaim, none, 600_000_000, 1_330_000_000).totalOre).toBe(600_000_000);
    expect(outcomePayment(rateCard, overClaim, { perMetricOre: {}, totalOre: 550_000_000 }, 600_000_000, 1_330_000_000).totalOre).toBe(50_000_000);
    expect(outcomePayment(rateCard, overClaim, none, 1_330_000_000, 70_000_000).totalOre).toBe(70_000_000);
  });

  it('owes at a measurement point every agreed yearly amount since the last, when points skip a year', () => {
    const perYear = { kind: 'amounts' as const, perYear: [1, 2, 3].map((year) => ({ year, amount: [20_000_000, 30_000_000, 50_000_000][year - 1] })) };
    // Points at months 18 and 36: year 1 is owed at the first (in year 2), beside year 2.
    expect(savingsShareThrough(perYear, 2, 80_000_000, 0)).toBe(50_000_000);
    expect(savingsShareThrough(perYear, 3, 80_000_000, 50_000_000)).toBe(50_000_000);
    // Never more than was realised; what was not realised is owed at the next point, up to what is agreed.
    expect(savingsShareThrough(perYear, 2, 10_000_000, 0)).toBe(10_000_000);
    expect(savingsShareThrough(perYear, 3, 200_000_000, 10_000_000)).toBe(90_000_000);
    expect(savingsShareThrough({ kind: 'percentage', basisPoints: 3000 }, 3, 1_000_000, 999)).toBe(300_000);
  });

  it('returns the agreed share of realised savings', () => {
    expect(savingsShare({ kind: 'percentage', basisPoints: 3333 }, 1, 1_000_000)).toBe(333_300);
    const perYear = { kind: 'amounts' as const, perYear: [{ year: 2, amount: 50_000_000 }] };
    expect(savingsShare(perYear, 2, 80_000_000)).toBe(50_000_000);
    expect(savingsShare(perYear, 2, 20_000_000)).toBe(20_000_000);
    expect(savingsShare(perYear, 1, 80_000_000)).toBe(0);
    // A second period of the same year gets what is left of the year's amount.
    expect(savingsShare(perYear, 2, 80_000_000, 30_000_000)).toBe(20_000_000);
  });

  it("takes a percentage of savings to the øre, rounded down, however large (up to the schema's 100 billion DKK)", () => {
    // 10,000,000,000.01 DKK at 99.99 %: the product of the two passed what a double holds exactly, and a øre too many came back.
    expect(savingsShare({ kind: 'percentage', basisPoints: 9999 }, 1, 1_000_000_000_001)).toBe(999_900_000_000);
    expect(savingsShare({ kind: 'percentage', basisPoints: 10_000 }, 1, 9_999_999_999_999)).toBe(9_999_999_999_999);
    expect(savingsShare({ kind: 'percentage', basisPoints: 1 }, 1, 9_999_999_999_999)).toBe(999_999_999);
    expect(savingsShare({ kind: 'percentage', basisPoints: 2500 }, 1, 3)).toBe(0);
    // The direct-financing ceiling as a share of a capital as large takes the same rule.
    expect(ceilingOre({ kind: 'share', basisPoints: 9999 }, 1_000_000_000_001)).toBe(999_900_000_000);
  });
});
