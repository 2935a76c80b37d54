import { termsOf } from '../../domain/commitment';
import { contractFlows, grantFlows, projectOutlook, proposalFlows } from '../../domain/outlook';
import { proposalSchema } from '../../domain/proposal';
import { housingFirst, type2Diabetes, youthAnxietyGroups } from '../fixtures/proposals';

const mio = (n: number) => n * 100_000_000;

describe('the 10-year outlook', () => {
  it('covers ten years from the start, and says in which year the fund would run dry', () => {
    const out = projectOutlook({
      startYear: 2025,
      years: 10,
      openingCapitalOre: mio(40),
      actual: [{ year: 2026, paidOre: mio(5), grantedOre: mio(1), returnedOre: mio(2) }],
      expected: [
        { year: 2027, kind: 'outcomePayment', amountOre: mio(20), proposalId: 'a' },
        { year: 2029, kind: 'outcomePayment', amountOre: mio(20), proposalId: 'b' },
        { year: 2030, kind: 'savingsReturned', amountOre: mio(1), proposalId: 'a' },
      ],
    });
    expect(out.years.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034]);
    expect(out.years.map((y) => y.freeAtYearEndOre / mio(1))).toEqual([40, 36, 16, 16, -4, -3, -3, -3, -3, -3]);
    expect(out.runsDryIn).toBe(2029);
  });

  it("spreads a signed contract's earnable payments over the measurement points still to come", () => {
    const proposal = proposalSchema.parse(type2Diabetes);
    const contract = {
      provider: 'P',
      investor: 'I',
      startDate: '2027-04-01',
      measurementMonths: [12, 24, 36],
      totalCapOre: mio(13.3),
      payee: 'investor' as const,
      proposedBy: 's',
      signatures: [],
      rateCard: [
        { metric: 'Gennemført forløb', unit: 'b', pricePerUnitOre: 2_000_000, targetUnits: 162, maxPaymentOre: mio(4.5) },
        { metric: 'HbA1c-fald ≥ 8,5 %', unit: 'b', pricePerUnitOre: 5_000_000, targetUnits: 150, maxPaymentOre: mio(8.8) },
      ],
    };
    // Targets earn 162 × 20,000 + 150 × 50,000 = 10.74 million, within the cap; 3.2 million already paid at 12 months.
    const flows = contractFlows(
      'd',
      proposal,
      contract,
      {
        measurements: [{ months: 12, paymentOre: mio(3.2) }],
        paidOre: mio(3.2),
        paidPerMetricOre: { 'Gennemført forløb': mio(1.2), 'HbA1c-fald ≥ 8,5 %': mio(2) },
      },
      { kind: 'percentage', basisPoints: 3000 },
      '2028-05-01',
    );
    expect(flows.filter((f) => f.kind === 'outcomePayment')).toEqual([
      { year: 2029, kind: 'outcomePayment', amountOre: mio(3.77), proposalId: 'd' },
      { year: 2030, kind: 'outcomePayment', amountOre: mio(3.77), proposalId: 'd' },
    ]);
    // Savings in initiative year 3 (from April 2029) come back at the 36-month point, in 2030: 9 million × 30 %.
    expect(flows.filter((f) => f.kind === 'savingsReturned')).toEqual([{ year: 2030, kind: 'savingsReturned', amountOre: mio(2.7), proposalId: 'd' }]);
  });

  it('expects savings back at the measurement points, as the contract returns them: a yearly amount not yet returned is owed at the next point', () => {
    const proposal = {
      ...proposalSchema.parse(type2Diabetes),
      businessCase: {
        requestedFromFund: mio(10),
        // Year 1 falls short of the 1 million agreed; years 2 and 3 do better.
        expectedSavings: [
          { year: 1, amount: mio(0.5) },
          { year: 2, amount: mio(2) },
          { year: 3, amount: mio(3) },
        ],
      },
    };
    const contract = { startDate: '2027-01-01', measurementMonths: [12, 18, 36], totalCapOre: mio(1), rateCard: [] };
    const agreed = { kind: 'amounts' as const, perYear: [1, 2, 3].map((year) => ({ year, amount: mio(1) })) };
    const savings = (implementation: Parameters<typeof contractFlows>[3], today = '2027-01-01') =>
      contractFlows('s', proposal, contract, implementation, agreed, today)
        .filter((f) => f.kind === 'savingsReturned')
        .map((f) => [f.year, f.amountOre / mio(1)]);
    // 12: year 1's half million. 18: year 2's first half (1 million) of the 1.5 million still owed through year 2.
    // 36: the rest of year 2 and year 3 (4 million) against the 1.5 million owed through year 3.
    expect(savings(undefined)).toEqual([
      [2028, 0.5],
      [2028, 1],
      [2030, 1.5],
    ]);
    // Once a point's savings are confirmed, what came back counts, none too; an overdue point returns this year.
    expect(
      savings(
        {
          paidOre: 0,
          paidPerMetricOre: {},
          returnsKept: true,
          measurements: [
            { months: 12, paymentOre: 0, returnedOre: 0 },
            { months: 18, paymentOre: 0 },
          ],
        },
        '2029-03-01',
      ),
    ).toEqual([
      [2029, 1],
      [2030, 2],
    ]);
    // A point overdue pays and returns this year, not in the year gone by.
    expect(
      contractFlows(
        's',
        proposal,
        { ...contract, totalCapOre: mio(1), rateCard: [{ metric: 'm', pricePerUnitOre: mio(0.1), targetUnits: 10, maxPaymentOre: mio(1) }] },
        undefined,
        agreed,
        '2029-02-01',
      ).map((f) => [f.kind, f.year]),
    ).toEqual([
      ['outcomePayment', 2029],
      ['outcomePayment', 2029],
      ['outcomePayment', 2030],
      ['savingsReturned', 2029],
      ['savingsReturned', 2029],
      ['savingsReturned', 2030],
    ]);
    // A commitment recorded before points kept what they returned: its points paid are taken as returned, not expected again.
    const recordedBefore = { paidOre: 0, paidPerMetricOre: {}, measurements: [12, 18].map((months) => ({ months, paymentOre: 0 })) };
    expect(savings(recordedBefore, '2028-09-01')).toEqual([[2030, 1.5]]);
    // Savings are returned at the points only: none after the last.
    expect(contractFlows('s', proposal, { ...contract, measurementMonths: [12] }, undefined, agreed, '2027-01-01').filter((f) => f.kind === 'savingsReturned')).toEqual([
      { year: 2028, kind: 'savingsReturned', amountOre: mio(0.5), proposalId: 's' },
    ]);
  });

  it("expects back only the responsible department's savings: the agreement and the confirmations are that department's", () => {
    // Housing First is MSB's; the business case also expects 4.2 million saved in MSO's budget in year 3.
    const proposal = termsOf(proposalSchema.parse(housingFirst));
    const contract = { startDate: '2027-01-01', measurementMonths: [12, 24, 36], totalCapOre: mio(1), rateCard: [] };
    const half = { kind: 'percentage' as const, basisPoints: 5000 };
    expect(
      contractFlows('h', proposal, contract, undefined, half, '2027-01-01')
        .filter((f) => f.kind === 'savingsReturned')
        .map((f) => [f.year, f.amountOre / mio(1)]),
    ).toEqual([
      [2028, 1.25],
      [2029, 3],
    ]);
  });

  it('counts the tranches of a grant not yet decided, and spreads what an approved proposal asks', () => {
    const grant = {
      tranches: [
        { dueDate: '2026-02-01', amountOre: mio(0.7), status: 'paid' as const },
        { dueDate: '2026-09-01', amountOre: mio(0.5), status: 'scheduled' as const },
      ],
    };
    expect(grantFlows('g', grant, '2026-01-15')).toEqual([{ year: 2026, kind: 'directGrant', amountOre: mio(0.5), proposalId: 'g' }]);
    // A tranche still undecided after its year is over is expected this year: a year gone by shows only what was booked.
    expect(grantFlows('g', grant, '2027-02-10')).toEqual([{ year: 2027, kind: 'directGrant', amountOre: mio(0.5), proposalId: 'g' }]);
    const flows = proposalFlows('y', proposalSchema.parse(youthAnxietyGroups), '2026-11-27');
    expect(flows.map((f) => [f.year, f.kind])).toEqual([
      [2026, 'directGrant'],
      [2027, 'directGrant'],
    ]);
    expect(flows.reduce((s, f) => s + f.amountOre, 0)).toBe(mio(1.2));
  });
});
