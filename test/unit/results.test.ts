import { portfolioCsv } from '../../api/pages/portfolioCsv';
import { resultsChart } from '../../api/pages/resultsChart';
import { caseResultsSchema, resultsView } from '../../api/resultsView';
import { byNextDue, portfolioRow, type PortfolioCase } from '../../domain/portfolio';
import { contractResults, grantResults, type ContractTerms, type StepEntry, type StepTask } from '../../domain/results';

const kr = (n: number) => n * 100;
const done = (step: string, by: string, input: unknown, at = '2025-02-01T10:00:00.000Z'): StepTask => ({ step, status: 'completed', completedBy: by, completedAt: at, input });
const booked = (step: string, kind: StepEntry['kind'], kroner: number, date: string, counterpart?: string): StepEntry => ({
  step,
  kind,
  amountOre: kr(kroner),
  date,
  by: 'msb.head',
  counterpart,
});

/** The Type 2 diabetes contract of test/workflows/outcomePayout.test.ts, with the figures the workflow paid there. */
const terms: ContractTerms = {
  startDate: '2024-01-15',
  measurementMonths: [12, 24, 36],
  rateCard: [
    { metric: 'Gennemført forløb', unit: 'borgere', pricePerUnit: kr(20_000), targetUnits: 162, maxPayment: kr(4_500_000) },
    { metric: 'HbA1c-fald', unit: 'borgere', pricePerUnit: kr(50_000), targetUnits: 150, maxPayment: kr(8_800_000) },
  ],
  totalCap: kr(13_300_000),
  payee: 'investor',
};
const report = (completed: number, hba1c: number) => ({
  results: [
    { metric: 'Gennemført forløb', unitsAchieved: completed, evidence: 'Fremmødelister' },
    { metric: 'HbA1c-fald', unitsAchieved: hba1c, evidence: 'Laboratoriedata' },
  ],
});

describe('the results of a contract, read back from its tasks and the ledger', () => {
  const tasks: StepTask[] = [
    done('m12.outcomeReport', 'sara.secretariat', report(60, 43)),
    done('m12.outcomeVerification', 'mso.head', { confirmed: false, corrected: [{ metric: 'HbA1c-fald', units: 40 }], note: 'Tre prøver var fra før forløbet' }),
    done('m12.savingsConfirmation', 'mso.head', { realisedSavings: kr(1_000_000) }),
    done('m24.outcomeReport', 'sara.secretariat', report(110, 70)),
    done('m24.outcomeVerification', 'mso.head', { confirmed: true }),
    { step: 'm24.savingsConfirmation', status: 'open' },
  ];
  const entries: StepEntry[] = [
    booked('contract.1.reservation', 'reservation', 13_300_000, '2024-01-10', 'Diabetesforeningen Aarhus'),
    booked('contract.m12.payment', 'outcomePayment', 3_200_000, '2025-01-20', 'Sundhedsinvest A/S'),
    booked('contract.m12.savings', 'savingsReturned', 300_000, '2025-01-21', 'MSO'),
    booked('contract.m24.payment', 'outcomePayment', 5_700_000, '2026-01-20', 'Sundhedsinvest A/S'),
  ];
  const now = new Date('2026-02-01T00:00:00Z');

  it('shows each point as reported, verified and corrected, and what each metric earned within its cap', () => {
    const r = contractResults(terms, tasks, entries, now)!;
    expect(r.measurements.map((m) => [m.months, m.dueAt.slice(0, 10), m.status])).toEqual([
      [12, '2025-01-15', 'settled'],
      [24, '2026-01-15', 'awaitingSavings'],
      [36, '2027-01-15', 'upcoming'],
    ]);
    const [first, second] = r.measurements;
    expect(first.verified).toEqual({
      by: 'mso.head',
      at: '2025-02-01T10:00:00.000Z',
      confirmed: false,
      note: 'Tre prøver var fra før forløbet',
      corrections: [{ metric: 'HbA1c-fald', reportedUnits: 43, units: 40 }],
    });
    expect(first.metrics).toEqual([
      { metric: 'Gennemført forløb', units: 60, cumulativeUnits: 60, earnedOre: kr(1_200_000), paidOre: kr(1_200_000), capped: false },
      { metric: 'HbA1c-fald', units: 40, cumulativeUnits: 40, earnedOre: kr(2_000_000), paidOre: kr(2_000_000), capped: false },
    ]);
    expect(first.savings).toMatchObject({ realisedOre: kr(1_000_000), returnedOre: kr(300_000), returnedOn: '2025-01-21' });
    // 110 more completed earn 2.2 million, but only 3.3 million remain of the metric's 4.5: paid in full.
    expect(second.metrics!.map((l) => [l.cumulativeUnits, l.paidOre])).toEqual([
      [170, kr(2_200_000)],
      [110, kr(3_500_000)],
    ]);
    expect([first.paymentOre, second.paymentOre, second.paidOn]).toEqual([kr(3_200_000), kr(5_700_000), '2026-01-20']);
    expect(r).toMatchObject({
      provider: 'Diabetesforeningen Aarhus',
      capOre: kr(13_300_000),
      paidOre: kr(8_900_000),
      capLeftOre: kr(4_400_000),
      reservedOre: kr(4_400_000),
      realisedSavingsOre: kr(1_000_000),
      returnedOre: kr(300_000),
      next: { months: 24, status: 'awaitingSavings' },
      finalReport: null,
      release: null,
    });
    expect(r.metrics.map((m) => [m.metric, m.achievedUnits, m.targetUnits, m.paidOre])).toEqual([
      ['Gennemført forløb', 170, 162, kr(3_400_000)],
      ['HbA1c-fald', 110, 150, kr(5_500_000)],
    ]);
  });

  it('caps an over-claim at the metric maxima and the contract cap, and releases the rest at the end', () => {
    const all = [
      ...tasks.filter((t) => t.status === 'completed'),
      done('m24.savingsConfirmation', 'mso.head', { realisedSavings: kr(2_500_000) }),
      done('m36.outcomeReport', 'sara.secretariat', report(500, 500)),
      done('m36.outcomeVerification', 'mso.head', { confirmed: true }),
      done('m36.savingsConfirmation', 'mso.head', { realisedSavings: 0 }),
      done('contractFinalReport', 'sara.secretariat', { summary: 'Målene er nået', lessonsLearned: 'Tidlig rekruttering' }),
    ];
    const r = contractResults(terms, all, [...entries, booked('contract.m36.payment', 'outcomePayment', 4_400_000, '2027-01-20')], new Date('2027-03-01'))!;
    expect(r.measurements[2].metrics!.map((l) => [l.earnedOre, l.paidOre, l.capped])).toEqual([
      [kr(10_000_000), kr(1_100_000), true],
      [kr(25_000_000), kr(3_300_000), true],
    ]);
    expect(r.metrics.map((m) => m.paidOre)).toEqual([kr(4_500_000), kr(8_800_000)]);
    expect(r).toMatchObject({ paidOre: kr(13_300_000), capLeftOre: 0, reservedOre: 0, next: null, finalReport: { summary: 'Målene er nået', by: 'sara.secretariat' } });
  });

  it('has no results before the cap is reserved', () => {
    expect(contractResults(terms, [], [], now)).toBeUndefined();
  });

  it('is shown in DKK, exactly as the response schema documents it', () => {
    const view = resultsView(contractResults(terms, tasks, entries, now)!);
    expect(caseResultsSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ cap: '13300000.00', paid: '8900000.00', metrics: [{ pricePerUnit: '20000.00', paid: '3400000.00' }, { paid: '5500000.00' }] });
  });
});

describe('the results of a grant', () => {
  const agreement = {
    grantee: 'Foreningen Ung i Aarhus',
    amount: kr(1_200_000),
    conditions: 'Gruppeforløb',
    tranches: [
      { dueDate: '2025-01-01', amount: kr(700_000), condition: 'Forløbene er startet' },
      { dueDate: '2025-06-01', amount: kr(300_000), condition: 'Midtvejsevaluering' },
      { dueDate: '2026-01-01', amount: kr(200_000), condition: 'Slutevaluering' },
    ],
  };
  const tasks: StepTask[] = [
    // The fund could not hold the first agreement; the second is the grant.
    done('grantAgreement', 'sara.secretariat', { ...agreement, grantee: 'Ingen' }),
    done('grantAgreement.2', 'sara.secretariat', agreement),
    done('tranche.1', 'sara.secretariat', { confirmed: true, note: 'Besøgt skolerne' }),
    done('tranche.2', 'sara.secretariat', { confirmed: false, reason: 'Evalueringen er ikke modtaget' }),
  ];
  const entries: StepEntry[] = [
    booked('grantAgreement.2.reservation', 'reservation', 1_200_000, '2024-12-01'),
    booked('tranche.1.release', 'release', 700_000, '2025-01-02'),
    booked('tranche.1.payment', 'directGrant', 700_000, '2025-01-02'),
    booked('tranche.2.release', 'release', 300_000, '2025-06-02'),
  ];

  it('shows each tranche paid, withheld or ahead, and what the fund still holds', () => {
    const r = grantResults(tasks, entries, new Date('2025-07-01'))!;
    expect(r.tranches.map((t) => [t.number, t.status, t.paidOn ?? null, t.reason ?? t.note ?? null])).toEqual([
      [1, 'paid', '2025-01-02', 'Besøgt skolerne'],
      [2, 'withheld', null, 'Evalueringen er ikke modtaget'],
      [3, 'scheduled', null, null],
    ]);
    expect(r).toMatchObject({
      grantee: 'Foreningen Ung i Aarhus',
      paidOre: kr(700_000),
      withheldOre: kr(300_000),
      reservedOre: kr(200_000),
      next: { number: 3, status: 'scheduled' },
    });
    expect(caseResultsSchema.parse(resultsView(r))).toMatchObject({ kind: 'grant', reserved: '200000.00' });
  });

  it('holds the same for a tranche paid straight from the reservation, without a release of its own', () => {
    const paidFromReservation: StepEntry[] = [entries[0], { ...booked('tranche.1.payment', 'directGrant', 700_000, '2025-01-02'), fromReservation: true }, entries[3]];
    const r = grantResults(tasks, paidFromReservation, new Date('2025-07-01'))!;
    expect(r).toMatchObject({ paidOre: kr(700_000), withheldOre: kr(300_000), reservedOre: kr(200_000) });
    expect(r.tranches[0]).toMatchObject({ status: 'paid', paidOn: '2025-01-02' });
  });

  it('marks what was left when the grant was withdrawn as released', () => {
    const r = grantResults(tasks, [...entries, booked('grant.release-on-withdrawal', 'release', 200_000, '2025-07-01')], new Date('2025-07-02'))!;
    expect(r.tranches[2].status).toBe('released');
    expect(r).toMatchObject({ reservedOre: 0, next: null });
  });

  it('has no results before the fund reserves a grant', () => {
    expect(grantResults(tasks.slice(0, 1), [], new Date())).toBeUndefined();
  });
});

describe('the portfolio', () => {
  const grantCase: PortfolioCase = {
    proposalId: 'SIF-2025-002',
    title: '=HYPERLINK("https://example.dk")',
    stage: 'GrantActive',
    welfareArea: 'childrenAndYouth',
    fundingTrack: 'directFinancing',
    department: 'MBU',
  };
  const contractCase: PortfolioCase = {
    ...grantCase,
    proposalId: 'SIF-2025-001',
    title: 'Diabetes; livsstil',
    stage: 'Implementation',
    fundingTrack: 'outcomeBased',
    department: 'MSO',
  };
  const contract = contractResults(
    terms,
    [done('m12.outcomeReport', 'sara.secretariat', report(60, 43))],
    [booked('contract.1.reservation', 'reservation', 13_300_000, '2024-01-10', 'Diabetesforeningen')],
    new Date('2025-02-01'),
  )!;
  const grant = grantResults(
    [
      done('grantAgreement', 'sara.secretariat', {
        grantee: 'Ung i Aarhus',
        amount: kr(500_000),
        conditions: 'x',
        tranches: [{ dueDate: '2024-06-01', amount: kr(500_000), condition: 'y' }],
      }),
    ],
    [booked('grantAgreement.reservation', 'reservation', 500_000, '2024-05-01')],
    new Date('2025-02-01'),
  )!;
  const rows = [portfolioRow(contractCase, contract), portfolioRow(grantCase, grant)].sort(byNextDue);

  it('puts what comes due first first', () => {
    expect(rows.map((r) => [r.proposalId, r.next])).toEqual([
      ['SIF-2025-002', { date: '2024-06-01', months: null, tranche: 1 }],
      ['SIF-2025-001', { date: '2025-01-15', months: 12, tranche: null }],
    ]);
  });

  it('exports CSV as Danish Excel opens it: BOM, semicolons, decimal commas, quoted fields and no formulas', () => {
    const csv = portfolioCsv('da', rows);
    expect(csv.startsWith('\uFEFFSag;Titel;Type;Fase;')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, and the final line break
    expect(lines[1]).toBe(
      `SIF-2025-002;"'=HYPERLINK(""https://example.dk"")";Direkte tilskud;Tilskud udbetales;Børn og unge;MBU;Ung i Aarhus;;0 af 1 udbetalt;500000,00;0,00;0,0;0,00;rate 1;2024-06-01`,
    );
    expect(lines[2]).toContain(';"Diabetes; livsstil";Resultatkontrakt;');
    expect(lines[2]).toContain(';"Gennemført forløb: 0 af 162 borgere; HbA1c-fald: 0 af 150 borgere";;');
    expect(lines[2]).toContain(';13300000,00;0,00;0,0;0,00;målepunkt 12 mdr.;2025-01-15');
  });

  it('exports CSV in English with commas and decimal points', () => {
    const csv = portfolioCsv('en', rows);
    expect(csv.startsWith('\uFEFFCase,Title,Kind,Stage,')).toBe(true);
    expect(csv).toContain(',Diabetes; livsstil,Outcome contract,');
    expect(csv).toContain(',13300000.00,0.00,0.0,0.00,measurement point 12 months,2025-01-15\r\n');
  });
});

describe('the results charts', () => {
  const svg = resultsChart({
    id: 'effect-chart-1',
    title: 'Gennemført forløb: opnået i alt mod målet',
    desc: 'Søjler og mål',
    axis: 'borgere',
    categories: ['12 mdr.', '24 mdr.', '36 mdr.'],
    bars: [{ cls: 'bar-achieved', label: 'Opnået i alt', values: [60, 170, undefined] }],
    reference: { cls: 'target-line', label: 'Målet: 162', mark: 'Mål 162', value: 162 },
    tick: String,
    minStep: 1,
  }).text;

  it('is an image named and described for screen readers, with no script or style', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="effect-chart-1-title" aria-describedby="effect-chart-1-desc"/);
    expect(svg).not.toMatch(/style=|<script|on\w+=/);
  });

  it('draws a bar per verified point on the scale of the target, and none for a point not reached', () => {
    const plotted = svg.slice(0, svg.indexOf('<g class="legend">'));
    const heights = [...plotted.matchAll(/<rect class="bar-achieved" [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[1] / heights[0]).toBeCloseTo(170 / 60, 1);
    const target = Number(/<line class="target-line" [^>]*y1="([\d.]+)"/.exec(svg)![1]);
    const zero = Number(/<line class="zero-line" [^>]*y1="([\d.]+)"/.exec(svg)![1]);
    expect((zero - target) / heights[1]).toBeCloseTo(162 / 170, 1);
    expect(svg).toContain('>Mål 162</text>');
  });
});
