import type { ReportNarrative } from './annualReportInput';
import { formatDkkDanish, type Ore } from './money';
import type { FundBalances } from './ledger';
import type { OutlookYear } from './outlook';
import { markdownInline as md } from './markdownText';
import { copenhagenDay } from './dates';

/** One project's money as the books have it: the year's movements, and to the year's end. `…Ore` fields are whole øre. */
export interface ReportProjectFigures {
  proposalId: string;
  title: string;
  outcomePaymentsOre: Ore;
  grantsOre: Ore;
  savingsReturnedOre: Ore;
  /** Reserved for it in all (the contract's cap or the grant), paid and granted, returned, and still reserved, at the year's end. */
  capOre: Ore;
  paidToDateOre: Ore;
  savingsReturnedToDateOre: Ore;
  reservedAtYearEndOre: Ore;
}

/** The year's report to the city council (afrapportering, seed §5): the figures, drafted from the books. `…Ore` fields are whole øre. */
export interface AnnualReport {
  year: number;
  version: number;
  generatedAt: string;
  projectsStarted: { proposalId: string; title: string; stage: string; startedOn: string; track: string }[];
  /**
   * Each measurement point verified in the year: the units of its period, and (in reports
   * drafted since they were kept) the units since the start, which the target is for.
   */
  results: { proposalId: string; title: string; measurements: { months: number; metric: string; units: number; cumulativeUnits?: number; targetUnits?: number }[] }[];
  paymentsOre: { outcomePayments: Ore; grants: Ore; savingsReturned: Ore };
  perProposal: ReportProjectFigures[];
  fundAtYearEnd: FundBalances;
  outlook: { runsDryIn: number | null; years: OutlookYear[] };
}

/**
 * Where the report stands. The secretariat writes its text while `drafting`; the
 * council's members each approve or return it while `awaitingCouncil`; a `returned`
 * report is redrafted as a new version; an `approved` one is marked `sentToCityCouncil`.
 */
export type ReportStatus = 'drafting' | 'awaitingCouncil' | 'returned' | 'approved' | 'sentToCityCouncil';

/** Where each status stands in one version's course: drafted, with the council, decided, sent. A redraft is a new version. */
const statusRank: Record<ReportStatus, number> = { drafting: 0, awaitingCouncil: 1, returned: 2, approved: 2, sentToCityCouncil: 3 };

/** The statuses a version may move to `status` from: a version's status only moves forward. */
export const statusesBefore = (status: ReportStatus): ReportStatus[] => (Object.keys(statusRank) as ReportStatus[]).filter((s) => statusRank[s] < statusRank[status]);

/** The projects the report covers, each once, in the order the report names them. */
export function reportProjects(r: AnnualReport): { proposalId: string; title: string }[] {
  const all = [...r.perProposal, ...r.projectsStarted, ...r.results].map(({ proposalId, title }) => ({ proposalId, title }));
  return [...new Map(all.map((p) => [p.proposalId, p])).values()];
}

/** Commentary on a project the report does not cover is refused, by its place in the list. */
export function projectsNotInReport(r: AnnualReport, n: ReportNarrative): number[] {
  const covered = new Set(reportProjects(r).map((p) => p.proposalId));
  return n.projects.flatMap((p, i) => (covered.has(p.proposalId) ? [] : [i]));
}

/**
 * What the text still lacks before the council can have it: the overall assessment,
 * a commentary on each project, and, after a return, the answers to the council.
 */
export function narrativeGaps(r: AnnualReport, n: ReportNarrative | undefined, afterReturn: boolean): string[] {
  const commented = new Set((n?.projects ?? []).filter((p) => p.commentary).map((p) => p.proposalId));
  return [
    ...(n?.overallAssessment ? [] : ['overallAssessment']),
    ...reportProjects(r).flatMap((p) => (commented.has(p.proposalId) ? [] : [`projects.${p.proposalId}`])),
    ...(afterReturn && !n?.answersToCouncil ? ['answersToCouncil'] : []),
  ];
}

/**
 * What a measurement achieved: the target is for the whole contract, so it stands beside
 * the units since the start, not the period's alone (37 of 40, not 12 of 40).
 */
function achieved(m: AnnualReport['results'][number]['measurements'][number]): string {
  const target = m.targetUnits ? ` af ${m.targetUnits}` : '';
  return m.cumulativeUnits === undefined ? `${m.units}${target}` : `${m.units} i perioden, ${m.cumulativeUnits}${target} i alt`;
}

/** The report as Markdown, in Danish as it goes to the city council: the figures with the secretariat's text. */
export function renderAnnualReport(r: AnnualReport, text: { narrative?: ReportNarrative; evaluation?: string } = {}): string {
  const kr = formatDkkDanish;
  const { narrative, evaluation } = text;
  const commentary = new Map((narrative?.projects ?? []).map((p) => [p.proposalId, p.commentary]));
  const figures = new Map(r.perProposal.map((p) => [p.proposalId, p]));
  const section = (heading: string, body: string | undefined) => (body ? ['', heading, body] : []);
  const lines = [
    `# Den Sociale Investeringsfond: afrapportering ${r.year}`,
    `Version ${r.version}, udarbejdet ${r.generatedAt.slice(0, 10)}`,
    ...section('## Sekretariatets samlede vurdering', narrative?.overallAssessment),
    '',
    '## Projekter startet i året',
    ...(r.projectsStarted.length ? r.projectsStarted.map((p) => `- ${p.proposalId} ${md(p.title)} (${p.startedOn})`) : ['Ingen.']),
    '',
    '## Resultater i forhold til målene',
    ...(r.results.length
      ? r.results.flatMap((p) => [`- ${p.proposalId} ${md(p.title)}`, ...p.measurements.map((m) => `  - ${md(m.metric)} efter ${m.months} måneder: ${achieved(m)}`)])
      : ['Ingen målinger i året.']),
    '',
    '## Projekterne',
    ...(reportProjects(r).length
      ? reportProjects(r).flatMap((p) => {
          const f = figures.get(p.proposalId);
          return [
            '',
            `### ${p.proposalId} ${p.title}`,
            ...(f
              ? [
                  `- Udbetalt i året: ${kr(f.outcomePaymentsOre + f.grantsOre)}; i alt ${kr(f.paidToDateOre)} af ${kr(f.capOre)}`,
                  `- Tilbageførte besparelser i året: ${kr(f.savingsReturnedOre)}; i alt ${kr(f.savingsReturnedToDateOre)}`,
                  `- Reserveret ved årets udgang: ${kr(f.reservedAtYearEndOre)}`,
                ]
              : []),
            ...(commentary.get(p.proposalId) ? ['', commentary.get(p.proposalId)!] : []),
          ];
        })
      : ['Ingen.']),
    '',
    '## Betalinger og tilbageløb i året',
    `- Resultatbetalinger: ${kr(r.paymentsOre.outcomePayments)}`,
    `- Direkte tilskud: ${kr(r.paymentsOre.grants)}`,
    `- Tilbageførte besparelser: ${kr(r.paymentsOre.savingsReturned)}`,
    '',
    '## Fondens økonomi ved årets udgang',
    // Each line the free capital is made of, so the section adds up.
    `- Kapital: ${kr(r.fundAtYearEnd.capitalOre)}`,
    `- Tilbageførte besparelser i alt: ${kr(r.fundAtYearEnd.returnedOre)}`,
    `- Udbetalt for effekt i alt: ${kr(r.fundAtYearEnd.paidOre)}`,
    `- Direkte tilskud i alt: ${kr(r.fundAtYearEnd.grantedOre)}`,
    `- Øremærket til godkendte forslag: ${kr(r.fundAtYearEnd.earmarkedOre ?? 0)}`,
    `- Reserveret til kontrakter og tilsagn: ${kr(r.fundAtYearEnd.reservedOre)}`,
    `- Fri kapital: ${kr(r.fundAtYearEnd.freeOre)}`,
    '',
    '## 10-årsprognose',
    ...r.outlook.years.map((y) => `- ${y.year}: fondens midler ved årets udgang ${kr(y.freeAtYearEndOre)}`),
    r.outlook.runsDryIn ? `**Fonden løber tør i ${r.outlook.runsDryIn}.**` : 'Fonden holder hele perioden.',
    ...section('## Svar på rådets bemærkninger', narrative?.answersToCouncil),
    ...section('## Evaluering af rådets arbejde', evaluation),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The years a report may be drafted for by hand: from the year the fund began to the
 * last year that has closed in Copenhagen. `first > last` while no year has closed.
 */
export function closedFundYears(fundStartDate: string, now: Date): { first: number; last: number } {
  const current = Number(copenhagenDay(now).slice(0, 4));
  return { first: Number(fundStartDate.slice(0, 4)), last: current - 1 };
}

export const annualReportWorkflowId = (year: number) => `annual-report-${year}`;
/** The year of a report from the id its notifications carry; undefined for a proposal's id. */
export function annualReportYear(id: string): number | undefined {
  const year = /^annual-report-(\d{4})$/.exec(id)?.[1];
  return year ? Number(year) : undefined;
}
