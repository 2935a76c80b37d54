import { earliestDeadline, fourEyesProblem, judgedValue, procedureCeiling, proposedProcedure, rankBids, thresholdsOn, unjustifiedDeviation } from '../../domain/procurement';
import { tenderInput } from '../../domain/procurementInput';

const t = { lightRegimeOre: 558_135_000, servicesOre: 164_463_800 }; // 2024–2025: 5,581,350 and 1,644,638 DKK

describe('choosing the procedure', () => {
  it.each([
    ['social', 2_300_000_000, 'euTender'], // Housing First, 23 million
    ['social', 558_135_000, 'nationalTender'], // at the light-regime threshold: not above it
    ['social', 300_000_000, 'nationalTender'],
    ['social', 164_463_800, 'directAward'],
    ['other', 164_463_801, 'euTender'],
    ['other', 100_000_000, 'directAward'],
  ] as const)('%s services worth %p øre: %s', (kind, value, procedure) => {
    expect(proposedProcedure(kind, value, t)).toBe(procedure);
  });
});

describe('a procedure that cannot be dodged', () => {
  it('is judged on the larger of the estimate and the approved amount', () => {
    // The issue's case: 6,000,000 DKK approved, 1,000,000 typed as the estimate.
    expect(proposedProcedure('social', judgedValue(100_000_000, 600_000_000), t)).toBe('euTender');
    expect(judgedValue(700_000_000, 600_000_000)).toBe(700_000_000);
  });

  it('covers awards up to its ceiling; past it only on a written rationale the council approved', () => {
    expect(procedureCeiling('social', 'directAward', t)).toBe(164_463_800);
    expect(procedureCeiling('social', 'nationalTender', t)).toBe(558_135_000);
    expect(procedureCeiling('other', 'nationalTender', t)).toBe(164_463_800);
    expect(procedureCeiling('social', 'euTender', t)).toBeUndefined();
    const direct = { ceilingOre: 164_463_800 };
    expect(unjustifiedDeviation(direct, 164_463_800, false)).toBeUndefined();
    expect(unjustifiedDeviation(direct, 600_000_000, true)).toBe(164_463_800);
    // A rationale alone does not justify it: the council must approve it too.
    expect(unjustifiedDeviation({ ...direct, rationale: 'Eneste leverandør' }, 600_000_000, false)).toBe(164_463_800);
    expect(unjustifiedDeviation({ ...direct, rationale: 'Eneste leverandør' }, 600_000_000, true)).toBeUndefined();
    expect(unjustifiedDeviation({}, 600_000_000, false)).toBeUndefined();
  });
});

describe('the thresholds in force', () => {
  const dated = [
    { from: '2026-01-01', lightRegime: 580_000_000, services: 170_000_000 },
    { from: '2024-01-01', lightRegime: 558_135_000, services: 164_463_800 },
  ];
  it('are the newest that has begun on the day, in whatever order they are configured', () => {
    expect(thresholdsOn(dated, '2025-12-31')).toEqual(t);
    expect(thresholdsOn(dated, '2026-01-01')).toEqual({ lightRegimeOre: 580_000_000, servicesOre: 170_000_000 });
    expect(thresholdsOn([...dated].reverse(), '2027-06-30').lightRegimeOre).toBe(580_000_000);
  });
});

describe('the tender', () => {
  const valid = {
    title: 'Housing First',
    description: 'Bostøtte',
    awardCriteria: [
      { name: 'Pris', weight: 40 },
      { name: 'Kvalitet', weight: 60 },
    ],
    estimatedValue: '23000000',
    deadline: '2027-03-01T12:00:00Z',
  };

  it('needs award criteria weighing exactly 100 in all', () => {
    expect(tenderInput.safeParse(valid).success).toBe(true);
    const off = tenderInput.safeParse({
      ...valid,
      awardCriteria: [
        { name: 'Pris', weight: 40 },
        { name: 'Kvalitet', weight: 50 },
      ],
    });
    expect(off.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['awardCriteria', 'the weights must sum to 100, not 90']]);
  });

  it('allows a deadline no earlier than the minimum tender period after publication', () => {
    expect(earliestDeadline(Date.parse('2027-01-01T00:00:00Z'), 30 * 86_400_000)).toBe(Date.parse('2027-01-31T00:00:00Z'));
  });

  it('ranks bids by computed weighted scores, with exact totals', () => {
    const criteria = [
      { name: 'Pris', weight: 40 },
      { name: 'Kvalitet', weight: 60 },
    ];
    const ranking = rankBids(['a', 'b', 'c'], criteria, [
      {
        evaluator: 'sara',
        scores: [
          { bidId: 'a', criterion: 'Pris', score: 8 },
          { bidId: 'a', criterion: 'Kvalitet', score: 5 },
          { bidId: 'b', criterion: 'Pris', score: 6 },
          { bidId: 'b', criterion: 'Kvalitet', score: 9 },
          { bidId: 'c', criterion: 'Pris', score: 10 },
          { bidId: 'c', criterion: 'Kvalitet', score: 3 },
        ],
      },
      {
        evaluator: 'jonas',
        scores: [
          { bidId: 'a', criterion: 'Pris', score: 8 },
          { bidId: 'a', criterion: 'Kvalitet', score: 6 },
          { bidId: 'b', criterion: 'Pris', score: 6 },
          { bidId: 'b', criterion: 'Kvalitet', score: 8 },
          { bidId: 'c', criterion: 'Pris', score: 10 },
          { bidId: 'c', criterion: 'Kvalitet', score: 4 },
        ],
      },
    ]);
    // b: 40×6 + 60×8.5 = 750; a: 40×8 + 60×5.5 = 650; c: 40×10 + 60×3.5 = 610 (in hundredths)
    expect(ranking).toEqual([
      { bidId: 'b', total: 75_000, rank: 1 },
      { bidId: 'a', total: 65_000, rank: 2 },
      { bidId: 'c', total: 61_000, rank: 3 },
    ]);
  });

  it('refuses a ranking with a score missing', () => {
    expect(() => rankBids(['a'], [{ name: 'Pris', weight: 100 }], [{ evaluator: 's', scores: [] }])).toThrow(/no score for Pris/);
  });

  it('keeps four eyes on the evaluation', () => {
    const bySara = { preparedBy: 'sara' };
    expect(fourEyesProblem(bySara, ['sara'])).toBe('fourEyes');
    expect(fourEyesProblem(bySara, [])).toBe('noEvaluation');
    expect(fourEyesProblem(bySara, ['sara', 'jonas'])).toBeUndefined();
    expect(fourEyesProblem(bySara, ['jonas'])).toBeUndefined();
    // Jonas saved the last draft, after Sara's: she prepared it too, and may not evaluate alone.
    const redrafted = { preparedBy: 'jonas', preparers: ['sara', 'jonas'] };
    expect(fourEyesProblem(redrafted, ['sara'])).toBe('fourEyes');
    expect(fourEyesProblem(redrafted, ['jonas'])).toBe('fourEyes');
    expect(fourEyesProblem(redrafted, ['sara', 'jonas'])).toBeUndefined();
    expect(fourEyesProblem(redrafted, ['anne'])).toBeUndefined();
  });
});
