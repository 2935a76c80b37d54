import { narrativeGaps, renderAnnualReport, reportProjects, type AnnualReport } from '../../domain/annualReport';
import { reportNarrativeInput } from '../../domain/annualReportInput';
import { decideReportRound, type ReportBallot } from '../../domain/reportApproval';
import { reportApprovalInput } from '../../domain/tasks';

const members = ['anne', 'bo', 'cecilie'];
const ballot = (memberId: string, decision: ReportBallot['decision'], comments?: string): ReportBallot => ({ memberId, decision, comments, at: '2027-05-01T10:00:00Z' });

describe("the council's round on the annual report", () => {
  it('waits until a majority of the council has answered alike', () => {
    expect(decideReportRound(members, [])).toBe('pending');
    expect(decideReportRound(members, [ballot('anne', 'approve')])).toBe('pending');
    expect(decideReportRound(members, [ballot('anne', 'approve'), ballot('bo', 'return', 'Uddyb')])).toBe('pending');
  });

  it('is approved by two of three, and returned by two of three', () => {
    expect(decideReportRound(members, [ballot('anne', 'approve'), ballot('bo', 'approve')])).toBe('approved');
    expect(decideReportRound(members, [ballot('anne', 'return', 'a'), ballot('bo', 'approve'), ballot('cecilie', 'return', 'b')])).toBe('returned');
  });

  it('counts only the council: an answer from outside it decides nothing', () => {
    expect(decideReportRound(members, [ballot('anne', 'approve'), ballot('mayor', 'approve')])).toBe('pending');
  });

  it('returns the report when no majority approves: a council of four split in two, or one too small to decide', () => {
    const four = [...members, 'dorte'];
    expect(decideReportRound(four, [ballot('anne', 'approve'), ballot('bo', 'approve'), ballot('cecilie', 'return', 'x')])).toBe('pending');
    expect(decideReportRound(four, [ballot('anne', 'approve'), ballot('bo', 'approve'), ballot('cecilie', 'return', 'x'), ballot('dorte', 'return', 'y')])).toBe('returned');
    expect(decideReportRound(['anne'], [])).toBe('returned');
  });

  it('takes a return only with comments saying what to change', () => {
    expect(reportApprovalInput.safeParse({ decision: 'return', comments: '  ' }).success).toBe(false);
    expect(reportApprovalInput.parse({ decision: 'approve' })).toEqual({ decision: 'approve' });
  });
});

const report: AnnualReport = {
  year: 2026,
  version: 2,
  generatedAt: '2027-04-30T06:00:00.000Z',
  projectsStarted: [{ proposalId: 'SIF-2026-001', title: 'Housing First', stage: 'Implementation', startedOn: '2026-03-01', track: 'outcomeBased' }],
  results: [{ proposalId: 'SIF-2026-001', title: 'Housing First', measurements: [{ months: 12, metric: 'Andel i egen bolig', units: 30, targetUnits: 90 }] }],
  paymentsOre: { outcomePayments: 450_000_000, grants: 0, savingsReturned: 60_000_000 },
  perProposal: [
    {
      proposalId: 'SIF-2026-001',
      title: 'Housing First',
      outcomePaymentsOre: 450_000_000,
      grantsOre: 0,
      savingsReturnedOre: 60_000_000,
      capOre: 1_350_000_000,
      paidToDateOre: 450_000_000,
      savingsReturnedToDateOre: 60_000_000,
      reservedAtYearEndOre: 900_000_000,
    },
    {
      proposalId: 'SIF-2026-002',
      title: 'Angstgrupper',
      outcomePaymentsOre: 0,
      grantsOre: 70_000_000,
      savingsReturnedOre: 0,
      capOre: 120_000_000,
      paidToDateOre: 70_000_000,
      savingsReturnedToDateOre: 0,
      reservedAtYearEndOre: 50_000_000,
    },
  ],
  fundAtYearEnd: {
    capitalOre: 4_000_000_000,
    reservedOre: 950_000_000,
    paidOre: 450_000_000,
    grantedOre: 70_000_000,
    returnedOre: 60_000_000,
    earmarkedOre: 0,
    freeOre: 2_590_000_000,
  },
  outlook: { runsDryIn: null, years: [{ year: 2027, outcomePaymentsOre: 0, grantsOre: 50_000_000, savingsReturnedOre: 0, freeAtYearEndOre: 2_590_000_000 }] },
};

describe("the secretariat's text in the annual report", () => {
  it('covers each project of the report once, however many sections name it', () => {
    expect(reportProjects(report)).toEqual([
      { proposalId: 'SIF-2026-001', title: 'Housing First' },
      { proposalId: 'SIF-2026-002', title: 'Angstgrupper' },
    ]);
  });

  it('lacks the overall assessment, a commentary on each project, and after a return the answers to the council', () => {
    expect(narrativeGaps(report, undefined, false)).toEqual(['overallAssessment', 'projects.SIF-2026-001', 'projects.SIF-2026-002']);
    const text = reportNarrativeInput.parse({
      overallAssessment: 'Et godt år',
      projects: [
        { proposalId: 'SIF-2026-001', commentary: 'På vej' },
        { proposalId: 'SIF-2026-002', commentary: '  ' },
      ],
    });
    expect(narrativeGaps(report, text, false)).toEqual(['projects.SIF-2026-002']);
    expect(narrativeGaps(report, { ...text, projects: [...text.projects.slice(0, 1), { proposalId: 'SIF-2026-002', commentary: 'Godt' }] }, true)).toEqual(['answersToCouncil']);
  });

  it('is bounded and names a project commented twice', () => {
    const twice = reportNarrativeInput.safeParse({
      projects: [
        { proposalId: 'A', commentary: 'x' },
        { proposalId: 'A', commentary: 'y' },
      ],
    });
    expect(twice.success).toBe(false);
    expect(twice.error!.issues[0]).toMatchObject({ path: ['projects', 1, 'proposalId'], params: { code: 'projectOnce' } });
    expect(reportNarrativeInput.safeParse({ overallAssessment: 'x'.repeat(10_001) }).success).toBe(false);
    expect(reportNarrativeInput.safeParse({ extra: 1 }).success).toBe(false);
    // A browser sends line breaks as CRLF: stored as plain ones, so a line starting with "- " is a bullet.
    expect(reportNarrativeInput.parse({ overallAssessment: 'Et år\r\n\r\n- Punkt\r\n' }).overallAssessment).toBe('Et år\n\n- Punkt');
  });

  it('stands in the Markdown beside the figures, with each project against its cap and the evaluation of the council', () => {
    const text = reportNarrativeInput.parse({
      overallAssessment: 'Fonden har betalt for effekt.',
      projects: [{ proposalId: 'SIF-2026-001', commentary: 'Målet for første år er nået.' }],
      answersToCouncil: 'Prognosen er uddybet.',
    });
    const md = renderAnnualReport(report, { narrative: text, evaluation: 'Rådet har arbejdet godt.' });
    expect(md).toContain('## Sekretariatets samlede vurdering\nFonden har betalt for effekt.');
    expect(md).toContain('### SIF-2026-001 Housing First\n- Udbetalt i året: 4.500.000,00 kr.; i alt 4.500.000,00 kr. af 13.500.000,00 kr.');
    expect(md).toContain('\nMålet for første år er nået.\n');
    expect(md).toContain('## Svar på rådets bemærkninger\nPrognosen er uddybet.');
    expect(md).toContain('## Evaluering af rådets arbejde\nRådet har arbejdet godt.');
    expect(renderAnnualReport(report)).not.toContain('Evaluering');
  });

  it('shows the fund at year end line by line, so it adds up to the free capital', () => {
    expect(renderAnnualReport(report)).toContain(
      [
        '## Fondens økonomi ved årets udgang',
        '- Kapital: 40.000.000,00 kr.',
        '- Tilbageførte besparelser i alt: 600.000,00 kr.',
        '- Udbetalt for effekt i alt: 4.500.000,00 kr.',
        '- Direkte tilskud i alt: 700.000,00 kr.',
        '- Øremærket til godkendte forslag: 0,00 kr.',
        '- Reserveret til kontrakter og tilsagn: 9.500.000,00 kr.',
        '- Fri kapital: 25.900.000,00 kr.',
      ].join('\n'),
    );
  });

  it("sets each measurement's units since the start beside the contract's target, not the period's alone", () => {
    const threePoints = {
      ...report,
      results: [
        {
          proposalId: 'SIF-2026-001',
          title: 'Housing First',
          measurements: [{ months: 36, metric: 'Andel i egen bolig', units: 12, cumulativeUnits: 37, targetUnits: 40 }],
        },
      ],
    };
    expect(renderAnnualReport(threePoints)).toContain('  - Andel i egen bolig efter 36 måneder: 12 i perioden, 37 af 40 i alt');
    // A report drafted before the units since the start were kept reads as it did.
    expect(renderAnnualReport(report)).toContain('  - Andel i egen bolig efter 12 måneder: 30 af 90');
  });
});
