import { procurementFor, type ProcurementView } from './accessPolicy';
import type { ContractingState } from './contract';
import { addMonths } from './dates';
import { formatDkk, type Ore } from './money';
import { cvrIdentifier, cvrPartyId, nameSlug } from './organisation';
import type { Proposal } from './proposal';
import type { LifecycleState } from './lifecycleState';
import { judgedValue } from './procurement';
import type { Stage } from './stages';
import { steps } from './steps';

/**
 * The proposal as an Open Contracting Data Standard 1.1.5 release package, so that
 * anyone can follow the fund's procurement. OCDS releases are immutable notices, each
 * about the contracting process at one moment; this package holds one release: the
 * whole process as it stood after its latest change on record (a release may repeat
 * what earlier ones said). Its `date` is when that change was recorded and its `id`
 * is derived from its content, so the same record always gives the same release,
 * byte for byte, and every change gives a new one.
 */
export interface OcdsSettings {
  ocidPrefix: string; // registered with the Open Contracting Partnership, e.g. "ocds-a1b2c3"
  publisher: { name: string; uri?: string };
  buyer: { name: string; cvr: string };
  fundName: string;
  packageUri: string;
}

/** What the case's record holds beside the workflow's state: when each change happened, and what the ledger paid. */
export interface OcdsRecord {
  /** The timeline as published (sealed bids left out), oldest first. */
  changes: readonly { type: string; at: string }[];
  /** Outcome payments booked in the ledger: the step's key (`contract.m12.payment`), amount, when booked. */
  payouts: readonly { step: string; amountOre: Ore; at: string }[];
}

type TenderStatus = 'planning' | 'planned' | 'active' | 'cancelled' | 'unsuccessful' | 'complete' | 'withdrawn';
type AwardStatus = 'pending' | 'active' | 'cancelled';
type ContractStatus = 'pending' | 'active' | 'cancelled' | 'terminated';
type Party = { id: string; name: string };

/** OCDS amounts are JSON numbers: converted from the exact decimal text, never by dividing a float. */
const money = (ore: Ore) => ({ amount: Number(formatDkk(ore)), currency: 'DKK' });

const methodOf = { euTender: 'open', nationalTender: 'open', directAward: 'direct' } as const;
const methodDetails = {
  euTender: 'EU-udbud (light regime-ydelser over tærskelværdien)',
  nationalTender: 'National annoncering under tærskelværdien',
  directAward: 'Direkte tildeling under tærskelværdien',
} as const;

/** Ended without a contract in force: by the secretariat, or by an operator outside the application. */
const abandoned = (stage: Stage) => stage === 'Withdrawn' || stage === 'StoppedByOperator';

/**
 * The tender over the case's whole life: being planned until the procedure is decided,
 * planned until published, active from publication through evaluation and standstill,
 * complete once an award stands. Ended early it is withdrawn if it never went out,
 * cancelled if it did; a tender cancelled after its bids came in was unsuccessful.
 */
export function tenderStatus(stage: Stage, p: ProcurementView): TenderStatus {
  const published = !!p.tender?.publishedAt;
  if (p.award?.stands) return 'complete';
  if (abandoned(stage)) return published ? 'cancelled' : 'withdrawn';
  if (stage === 'Cancelled') return p.tender?.closedAt ? 'unsuccessful' : 'cancelled';
  if (published) return 'active';
  return p.procedure ? 'planned' : 'planning';
}

/** An award is pending through its standstill, active once it stands, cancelled when the case ends before a contract is signed. */
export function awardStatus(stage: Stage, award: { stands: boolean }, contract: ContractingState['contract']): AwardStatus {
  if ((abandoned(stage) || stage === 'Cancelled') && !contract?.signedAt) return 'cancelled';
  return award.stands ? 'active' : 'pending';
}

/** A contract is pending until both have signed, then active; terminated when the case has closed after it, cancelled if it ended unsigned. */
export function contractStatus(stage: Stage, contract: NonNullable<ContractingState['contract']>): ContractStatus {
  if (!contract.signedAt) return abandoned(stage) ? 'cancelled' : 'pending';
  return stage === 'Closed' || abandoned(stage) ? 'terminated' : 'active';
}

/** Which recorded changes can alter the export: everything but tasks' comings and goings and the evaluators' scores. */
const changesExport = (type: string) =>
  type === 'created' || type === 'revised' || type === 'stageChanged' || (type.startsWith('procurement.') && type !== 'procurement.evaluate') || type.startsWith('contracting.');

/** The parties of one release: one per organisation, whatever roles it plays, named by its CVR number where known. */
function partyRegistry(ocid: string, cvrByName: ReadonlyMap<string, string>) {
  const parties = new Map<string, { id: string; name: string; identifier?: { scheme: string; id: string; legalName: string }; roles: Set<string> }>();
  const add = (name: string, cvr: string | undefined, roles: string[]): Party => {
    const id = cvr ? cvrPartyId(cvr) : `${ocid}-org-${nameSlug(name)}`;
    const party = parties.get(id) ?? { id, name, ...(cvr ? { identifier: { ...cvrIdentifier(cvr), legalName: name } } : {}), roles: new Set<string>() };
    roles.forEach((r) => party.roles.add(r));
    parties.set(id, party);
    return { id, name: party.name };
  };
  return {
    /** An organisation the case names: its CVR number from wherever the secretariat gave it. */
    organisation: (name: string, ...roles: string[]) => add(name, cvrByName.get(name), roles),
    withCvr: (name: string, cvr: string, ...roles: string[]) => add(name, cvr, roles),
    list: () => [...parties.values()].map(({ roles, ...p }) => ({ ...p, roles: [...roles] })),
  };
}

/** Every CVR number the case knows, by the name it was given with: bids, a direct award, investors' offers. */
function cvrNumbers(state: LifecycleState): Map<string, string> {
  const known = [
    ...(state.procurement?.bids ?? []).map((b) => [b.bidder, b.cvr] as const),
    [state.procurement?.award?.supplier, state.procurement?.award?.cvr] as const,
    ...(state.contracting?.offers ?? []).map((o) => [o.investor, o.cvr] as const),
  ];
  return new Map(known.filter((k): k is readonly [string, string] => !!k[0] && !!k[1]));
}

export function ocdsReleasePackage(proposalId: string, proposal: Proposal, state: LifecycleState, record: OcdsRecord, s: OcdsSettings) {
  const ocid = `${s.ocidPrefix}-${proposalId}`;
  // Published to the public: no tenderer before the bid window closes (see accessPolicy).
  const p = state.procurement && procurementFor('public', state.procurement);
  const c = state.contracting;
  const parties = partyRegistry(ocid, cvrNumbers(state));
  const buyer = parties.withCvr(s.buyer.name, s.buyer.cvr, 'buyer', 'procuringEntity');
  const fund = parties.organisation(s.fundName, 'funder', 'payer');

  const tags = ['planning'];
  let tender: Record<string, unknown> | undefined;
  if (p) {
    const t = p.tender;
    const status = tenderStatus(state.stage, p);
    tags.push('tender', ...(['cancelled', 'unsuccessful', 'withdrawn'].includes(status) ? ['tenderCancellation'] : []));
    const tenderers = p.bids.map((b) => parties.organisation(b.bidder, 'tenderer'));
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

  const awards = p ? awardsOf(ocid, p, state, parties) : [];
  if (awards.length > 0) tags.push('award', ...(awards.some((a) => a.status === 'cancelled') ? ['awardCancellation'] : []));
  // The contract follows this round's award, the last one listed.
  const current = p?.award ? awards.at(-1) : undefined;

  const contracts: Record<string, unknown>[] = [];
  const contract = c?.contract;
  if (contract && current) {
    const status = contractStatus(state.stage, contract);
    tags.push('contract', ...(status === 'terminated' ? ['contractTermination'] : []));
    parties.organisation(contract.investor, 'funder');
    parties.organisation(contract.provider, 'supplier');
    const payee = parties.organisation(contract.payee === 'investor' ? contract.investor : contract.provider, 'payee');
    const measurements = state.implementation?.measurements ?? [];
    const payouts = new Map(record.payouts.map((x) => [x.step, x]));
    if (payouts.size > 0 || measurements.some((m) => m.paymentOre !== undefined)) tags.push('implementation');
    contracts.push({
      id: `${ocid}-contract-1`,
      awardID: current.id,
      title: `Resultatkontrakt: ${proposal.title}`,
      status,
      value: money(contract.totalCapOre),
      period: { startDate: addMonths(contract.startDate, 0), endDate: addMonths(contract.startDate, Math.max(...contract.measurementMonths)) },
      ...(contract.signedAt ? { dateSigned: contract.signedAt } : {}),
      milestones: contract.measurementMonths.map((months) => {
        const measured = measurements.find((x) => x.months === months && x.paymentOre !== undefined);
        const paid = payouts.get(steps.outcomePayment(months));
        return {
          id: `measurement-${months}`,
          title: `Effektmåling efter ${months} måneder`,
          type: 'reporting',
          dueDate: addMonths(contract.startDate, months),
          // Met when the effect earned a payment, on the day it was booked; measured without effect is not met.
          ...(!measured ? { status: 'scheduled' } : paid ? { status: 'met', dateMet: paid.at } : { status: 'notMet' }),
        };
      }),
      implementation: {
        // What the ledger paid, not what was computed: the books are the record of money.
        transactions: record.payouts.map((x) => ({
          id: x.step,
          source: s.packageUri,
          date: x.at,
          value: money(x.amountOre),
          payer: fund,
          payee,
        })),
      },
    });
  }

  const bc = proposal.businessCase;
  const content = {
    ocid,
    date: lastChange(state, record),
    tag: tags,
    initiationType: 'tender',
    language: 'da',
    buyer,
    parties: parties.list(),
    planning: {
      rationale: proposal.motivation?.rationale ?? proposal.summary,
      ...(bc ? { budget: { id: `${ocid}-budget`, description: s.fundName, amount: money(bc.requestedFromFund), project: proposal.title } } : {}),
    },
    ...(tender ? { tender } : {}),
    awards,
    contracts,
  };
  // The id after the ocid, as OCDS lists them: a digest of everything else the release says.
  const { ocid: _, ...rest } = content;
  const release = { ocid, id: `${ocid}-${digest(JSON.stringify(content))}`, ...rest };
  return {
    uri: s.packageUri,
    version: '1.1',
    // Generated on demand: the package is as old as the last change to what it holds.
    publishedDate: release.date,
    publisher: s.publisher,
    releases: [release],
  };
}

/** This round's award, and those an upheld complaint annulled, each under an id of its own. */
function awardsOf(ocid: string, p: ProcurementView, state: LifecycleState, parties: ReturnType<typeof partyRegistry>) {
  const annulled = p.earlierRounds.filter((r) => r.outcome === 'awardAnnulled');
  const awards: ({ id: string; status: AwardStatus } & Record<string, unknown>)[] = annulled.map((r, i) => ({
    id: `${ocid}-award-${r.round}.${annulled.slice(0, i + 1).filter((x) => x.round === r.round).length}`,
    status: 'cancelled',
    description: `Annulleret efter klage: ${r.reason}`,
  }));
  const award = p.award;
  if (award) {
    const supplier = parties.organisation(award.supplier, 'supplier');
    awards.push({
      id: `${ocid}-award-${p.round}.${annulled.filter((x) => x.round === p.round).length + 1}`,
      status: awardStatus(state.stage, award, state.contracting?.contract),
      date: award.at,
      value: money(award.priceOre),
      suppliers: [supplier],
      // The council chose the supplier on the secretariat's recommendation; its decision is the award's date.
      description: [`Rådet for Sociale Investeringer godkendte indstilling nr. ${award.recommendation} ${award.at.slice(0, 10)}.`, award.rationale].filter(Boolean).join(' '),
    });
  }
  return awards;
}

/** When the export last changed: the latest change on record that can alter it, a signature, or a payment. */
function lastChange(state: LifecycleState, record: OcdsRecord): string {
  const dates = [
    ...record.changes.filter((e) => changesExport(e.type)).map((e) => e.at),
    ...(state.contracting?.contract?.signatures ?? []).map((x) => x.at),
    ...record.payouts.map((x) => x.at),
  ];
  if (dates.length === 0) throw new Error(`${state.proposalId} has no change on record`);
  return dates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

/**
 * 64 bits of FNV-1a over the release's JSON, as hex: two releases share an id only
 * if they say the same. Not a security measure, only an identity.
 */
function digest(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}
