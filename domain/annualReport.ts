import { formatDkkDanish, type Ore } from './money';
import type { FundBalances } from './ledger';
import type { OutlookYear } from './outlook';
import { markdownInline as md } from './markdownText';

/** The year's report to the city council (afrapportering, seed §5). `…Ore` fields are whole øre. */
export interface AnnualReport {
  year: number;
  version: number;
  generatedAt: string;
  projectsStarted: { proposalId: string; title: string; stage: string; startedOn: string; track: string }[];
  results: { proposalId: string; title: string; measurements: { months: number; metric: string; units: number; targetUnits?: number }[] }[];
  paymentsOre: { outcomePayments: Ore; grants: Ore; savingsReturned: Ore };
  perProposal: { proposalId: string; title: string; outcomePaymentsOre: Ore; grantsOre: Ore; savingsReturnedOre: Ore }[];
  fundAtYearEnd: FundBalances;
  outlook: { runsDryIn: number | null; years: OutlookYear[] };
}

export function renderAnnualReport(r: AnnualReport): string {
  const kr = formatDkkDanish;
  const lines = [
    `# Den Sociale Investeringsfond: afrapportering ${r.year}`,
    `Version ${r.version}, udarbejdet ${r.generatedAt.slice(0, 10)}`,
    '',
    '## Projekter startet i året',
    ...(r.projectsStarted.length ? r.projectsStarted.map((p) => `- ${p.proposalId} ${md(p.title)} (${p.startedOn})`) : ['Ingen.']),
    '',
    '## Resultater i forhold til målene',
    ...(r.results.length
      ? r.results.flatMap((p) => [
          `- ${p.proposalId} ${md(p.title)}`,
          ...p.measurements.map((m) => `  - ${md(m.metric)} efter ${m.months} måneder: ${m.units}${m.targetUnits ? ` af ${m.targetUnits}` : ''}`),
        ])
      : ['Ingen målinger i året.']),
    '',
    '## Betalinger og tilbageløb i året',
    `- Resultatbetalinger: ${kr(r.paymentsOre.outcomePayments)}`,
    `- Direkte tilskud: ${kr(r.paymentsOre.grants)}`,
    `- Tilbageførte besparelser: ${kr(r.paymentsOre.savingsReturned)}`,
    '',
    '## Fondens økonomi ved årets udgang',
    `- Kapital: ${kr(r.fundAtYearEnd.capitalOre)}`,
    `- Reserveret: ${kr(r.fundAtYearEnd.reservedOre)}`,
    `- Fri: ${kr(r.fundAtYearEnd.freeOre)}`,
    '',
    '## 10-årsprognose',
    ...r.outlook.years.map((y) => `- ${y.year}: fri ved årets udgang ${kr(y.freeAtYearEndOre)}`),
    r.outlook.runsDryIn ? `**Fonden løber tør i ${r.outlook.runsDryIn}.**` : 'Fonden holder hele perioden.',
  ];
  return lines.join('\n') + '\n';
}

/**
 * The years a report may be drafted for by hand: from the year the fund began to the
 * last year that has closed in Copenhagen. `first > last` while no year has closed.
 */
export function closedFundYears(fundStartDate: string, now: Date): { first: number; last: number } {
  const current = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', year: 'numeric' }).format(now));
  return { first: Number(fundStartDate.slice(0, 4)), last: current - 1 };
}

export const annualReportWorkflowId = (year: number) => `annual-report-${year}`;
/** The year of a report from the id its notifications carry; undefined for a proposal's id. */
export function annualReportYear(id: string): number | undefined {
  const year = /^annual-report-(\d{4})$/.exec(id)?.[1];
  return year ? Number(year) : undefined;
}
