import { procurementFor } from './accessPolicy';
import { addMonths } from './dates';
import { formatDkk, type Ore } from './money';
import type { Proposal } from './proposal';
import type { LifecycleState } from './lifecycleState';
import { judgedValue } from './procurement';

/**
 * The proposal as an Open Contracting Data Standard 1.1 release package: one
 * compiled release with planning, tender, awards and contracts, so that anyone
 * can follow the fund's procurement. Field names and codes follow OCDS 1.1.5.
 */
export interface OcdsSettings {
  ocidPrefix: string; // registered with the Open Contracting Partnership, e.g. "ocds-a1b2c3"
  publisher: { name: string; uri?: string };
  buyer: { id: string; name: string };
  fundName: string;
  packageUri: string;
}

/** OCDS amounts are JSON numbers: converted from the exact decimal text, never by dividing a float. */
const money = (ore: Ore) => ({ amount: Number(formatDkk(ore)), currency: 'DKK' });
const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');

const methodOf = { euTender: 'open', nationalTender: 'open', directAward: 'direct' } as const;
const methodDetails = {
  euTender: 'EU-udbud (light regime-ydelser over tærskelværdien)',
  nationalTender: 'National annoncering under tærskelværdien',
  directAward: 'Direkte tildeling under tærskelværdien',
} as const;

export function ocdsReleasePackage(proposalId: string, proposal: Proposal, state: LifecycleState, s: OcdsSettings, publishedDate: string) {
  const ocid = `${s.ocidPrefix}-${proposalId}`;
  // Published to the public: no tenderer before the bid window closes (see accessPolicy).
  const p = state.procurement && procurementFor('public', state.procurement);
  const c = state.contracting;
  const fundId = `${s.buyer.id}-fund`;
  const parties = new Map<string, { id: string; name: string; roles: Set<string> }>();
  const party = (id: string, name: string, ...roles: string[]) => {
    const existing = parties.get(id) ?? { id, name, roles: new Set<string>() };
    roles.forEach((r) => existing.roles.add(r));
    parties.set(id, existing);
    return { id, name };
  };
  // One party per organisation, whatever roles it plays: a tenderer that wins is also the supplier.
  const org = (name: string) => `${ocid}-org-${slug(name)}`;
  const buyer = party(s.buyer.id, s.buyer.name, 'buyer', 'procuringEntity');
  party(fundId, s.fundName, 'funder', 'payer');

  const tags = ['planning'];
  let tender: Record<string, unknown> | undefined;
  if (p) {
    tags.push('tender');
    const t = p.tender;
    const status = state.stage === 'Cancelled' ? 'cancelled' : p.award?.stands ? 'complete' : t?.publishedAt && !t.closedAt ? 'active' : t ? 'planned' : 'planning';
    const tenderers = p.bids.map((b) => party(org(b.bidder), b.bidder, 'tenderer'));
    tender = {
      id: `${ocid}-tender-${p.round}`,
      title: t?.title ?? proposal.title,
      description: t?.description ?? proposal.summary,
      status,
      procuringEntity: buyer,
      mainProcurementCategory: 'services',
      ...(p.procedure
        ? {
            procurementMethod: methodOf[p.procedure],
            procurementMethodDetails: methodDetails[p.procedure],
            ...(p.rationale ? { procurementMethodRationale: p.rationale } : {}),
          }
        : {}),
      // The value the procedure was judged on: never below what the council and the mayor approved.
      ...(p.estimatedValueOre !== undefined ? { value: money(judgedValue(t?.estimatedValueOre ?? p.estimatedValueOre, p.approvedOre ?? 0)) } : {}),
      ...(t
        ? {
            awardCriteria: 'ratedCriteria',
            awardCriteriaDetails: t.awardCriteria.map((c) => `${c.name}: ${c.weight} %`).join('; '),
            tenderPeriod: { ...(t.publishedAt ? { startDate: t.publishedAt } : {}), endDate: t.deadline },
            documents: t.documents.map((d, i) => ({ id: `doc-${i + 1}`, documentType: 'tenderNotice', title: d.title, url: d.url })),
          }
        : {}),
      ...(p.bidsSealed ? {} : { tenderers, numberOfTenderers: tenderers.length }),
    };
  }

  const awards: Record<string, unknown>[] = [];
  const award = p?.award;
  if (award) {
    tags.push('award');
    const supplier = party(org(award.supplier), award.supplier, 'supplier');
    awards.push({
      id: `${ocid}-award-${p.round}`,
      status: award.stands ? 'active' : 'pending',
      date: award.at,
      value: money(award.priceOre),
      suppliers: [supplier],
      // The council chose the supplier on the secretariat's recommendation; its decision is the award's date.
      description: [`Rådet for Sociale Investeringer godkendte indstilling nr. ${award.recommendation} ${award.at.slice(0, 10)}.`, award.rationale].filter(Boolean).join(' '),
    });
  }

  const contracts: Record<string, unknown>[] = [];
  const contract = c?.contract;
  if (contract && awards.length > 0) {
    tags.push('contract');
    if (state.implementation?.measurements.length) tags.push('implementation');
    const investor = party(org(contract.investor), contract.investor, 'funder');
    const provider = party(org(contract.provider), contract.provider, 'supplier');
    party((contract.payee === 'investor' ? investor : provider).id, (contract.payee === 'investor' ? investor : provider).name, 'payee');
    const lastMonth = Math.max(...contract.measurementMonths);
    const measurements = state.implementation?.measurements ?? [];
    contracts.push({
      id: `${ocid}-contract-1`,
      awardID: awards[0].id,
      title: `Resultatkontrakt: ${proposal.title}`,
      status: contract.signedAt ? 'active' : 'pending',
      value: money(contract.totalCapOre),
      period: { startDate: addMonths(contract.startDate, 0), endDate: addMonths(contract.startDate, lastMonth) },
      ...(contract.signedAt ? { dateSigned: contract.signedAt } : {}),
      milestones: contract.measurementMonths.map((m) => {
        const measured = measurements.find((x) => x.months === m && x.paymentOre !== undefined);
        return {
          id: `measurement-${m}`,
          title: `Effektmåling efter ${m} måneder`,
          type: 'reporting',
          dueDate: addMonths(contract.startDate, m),
          // Met when the effect earned a payment; measured without effect is not met.
          status: !measured ? 'scheduled' : measured.paymentOre! > 0 ? 'met' : 'notMet',
        };
      }),
      implementation: {
        transactions: measurements
          .filter((m) => (m.paymentOre ?? 0) > 0)
          .map((m) => ({
            id: `outcome-payment-${m.months}`,
            source: s.packageUri,
            date: m.dueAt,
            value: money(m.paymentOre!),
            payer: { id: fundId, name: s.fundName },
            payee: contract.payee === 'investor' ? investor : provider,
          })),
      },
    });
  }

  const bc = proposal.businessCase;
  return {
    uri: s.packageUri,
    version: '1.1',
    publishedDate,
    publisher: s.publisher,
    releases: [
      {
        ocid,
        id: `${ocid}-${state.stageSeq}`,
        date: publishedDate,
        tag: tags,
        initiationType: 'tender',
        language: 'da',
        buyer,
        parties: [...parties.values()].map((x) => ({ id: x.id, name: x.name, roles: [...x.roles] })),
        planning: {
          rationale: proposal.motivation?.rationale ?? proposal.summary,
          ...(bc ? { budget: { id: `${ocid}-budget`, description: s.fundName, amount: money(bc.requestedFromFund), project: proposal.title } } : {}),
        },
        ...(tender ? { tender } : {}),
        awards,
        contracts,
      },
    ],
  };
}
