import { formatDkkDanish, type Ore } from './money';
import type { Proposal } from './proposal';
import { markdownBlock as block, markdownInline as md } from './markdownText';

/** The fund as the council sees it when it decides. */
export interface FundPosition {
  capitalOre: Ore;
  /** Free in the ledger today. */
  freeOre: Ore;
  /** Asked by proposals the council has approved that hold no reservation yet. */
  committedOre: Ore;
}

/** The decision paper (beslutningsoplæg): the proposal, its business case and what it does to the fund. */
/** The 10-year outlook without and with the proposal, year by year. */
export interface OutlookComparison {
  withoutRunsDryIn: number | null;
  withRunsDryIn: number | null;
  years: { year: number; freeWithoutOre: Ore; freeWithOre: Ore }[];
}

export function buildDecisionPaper(proposalId: string, version: number, proposal: Proposal, fund: FundPosition, generatedAt: string, outlook?: OutlookComparison) {
  const bc = proposal.businessCase!;
  const savingsByDepartment = new Map<string, Ore>();
  for (const s of bc.expectedSavings) savingsByDepartment.set(s.department, (savingsByDepartment.get(s.department) ?? 0) + s.amount);
  const totalSavings = bc.expectedSavings.reduce((sum, s) => sum + s.amount, 0);
  const freeBefore = fund.freeOre - fund.committedOre;
  const freeAfter = freeBefore - bc.requestedFromFund;
  return {
    proposalId,
    version,
    generatedAt,
    proposal,
    businessCase: {
      totalCostOre: bc.totalCost,
      requestedFromFundOre: bc.requestedFromFund,
      expectedSavingsOre: totalSavings,
      savingsByDepartmentOre: Object.fromEntries(savingsByDepartment),
      netOre: totalSavings - bc.totalCost,
    },
    fundImpact: {
      capitalOre: fund.capitalOre,
      committedOre: fund.committedOre,
      freeBeforeOre: freeBefore,
      freeAfterOre: freeAfter,
      // Basis points keep the share whole: 5750 = 57.50 % of the capital.
      shareOfCapitalBasisPoints: fund.capitalOre > 0 ? Math.round((bc.requestedFromFund * 10000) / fund.capitalOre) : 0,
      coverable: freeAfter >= 0,
    },
    ...(outlook ? { outlook } : {}),
  };
}
export type DecisionPaper = ReturnType<typeof buildDecisionPaper>;

/** The paper as the council reads it, in Danish. */
export function renderDecisionPaper(p: DecisionPaper): string {
  const { proposal: pr, businessCase: bc, fundImpact: f } = p;
  const kr = formatDkkDanish;
  const lines = [
    `# Beslutningsoplæg: ${md(pr.title)}`,
    `Sag ${p.proposalId}, version ${p.version}, udarbejdet ${p.generatedAt.slice(0, 10)}`,
    '',
    '## Resumé',
    block(pr.summary),
    '',
    '## Målgruppe',
    `${block(pr.targetGroup!.description)} (ca. ${pr.targetGroup!.estimatedSize} borgere)`,
    ...pr.targetGroup!.inclusionCriteria.map((c) => `- ${md(c)}`),
    '',
    '## Ønskede resultater',
    ...pr.outcomes.map((o) => `- ${md(o.metric)}: fra ${o.baseline} til ${o.target} ${md(o.unit)}; måles ${md(o.howMeasured)} efter ${o.measuredAtMonths.join(', ')} måneder`),
    '',
    '## Motivation',
    block(pr.motivation!.rationale),
    ...pr.motivation!.evidence.map((e) => `- (${e.kind}) ${md(e.citation)}${e.url ? ` ${md(e.url)}` : ''}`),
    '',
    '## Business case',
    `- Samlede udgifter: ${kr(bc.totalCostOre)}`,
    `- Ansøgt fra fonden: ${kr(bc.requestedFromFundOre)}`,
    `- Forventede besparelser i alt: ${kr(bc.expectedSavingsOre)}`,
    ...Object.entries(bc.savingsByDepartmentOre).map(([d, ore]) => `  - ${md(d)}: ${kr(ore)}`),
    ...(pr.fundingTrack === 'directFinancing'
      ? ['', '## Direkte finansiering: hvorfor ikke inden for et eksisterende budget', md(pr.businessCase?.whyNotInExistingBudget ?? '')]
      : []),
    '',
    '## Betydning for fonden',
    `- Fondens kapital: ${kr(f.capitalOre)}`,
    `- Godkendt, endnu ikke reserveret: ${kr(f.committedOre)}`,
    `- Fri kapital før: ${kr(f.freeBeforeOre)}; efter: ${kr(f.freeAfterOre)}`,
    `- Andel af kapitalen: ${(f.shareOfCapitalBasisPoints / 100).toFixed(2).replace('.', ',')} %`,
    f.coverable ? '' : '**Fonden kan ikke dække forslaget med sin frie kapital.**',
    ...(p.outlook
      ? [
          '',
          '## 10-årsprognose uden og med forslaget',
          ...p.outlook.years.map((y) => `- ${y.year}: fri ${kr(y.freeWithoutOre)} uden, ${kr(y.freeWithOre)} med`),
          p.outlook.withRunsDryIn ? `**Med forslaget løber fonden tør i ${p.outlook.withRunsDryIn}.**` : 'Med forslaget holder fonden hele perioden.',
        ]
      : []),
  ];
  return lines.join('\n').trimEnd() + '\n';
}
