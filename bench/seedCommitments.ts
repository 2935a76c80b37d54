/**
 * Seeds a database with `n` cases that hold money, for benchmarks and measurements of
 * what the fund's figures cost to read: a third outcome contracts in Implementation
 * (reserved, one point paid), a third grants in GrantActive (reserved, first tranche
 * paid), a third approved and earmarked. Each gets what the running system would have
 * written for it: the proposal, its ledger entries (one chain, balances after each, as
 * store/ledger.ts books them) and its commitment (store/commitments.ts). No workflow is
 * started: the outlook, the fund page and the ledger never ask one. Written in bulk
 * through the driver, so 1,000 cases take seconds.
 */
import { commitmentOf, termsOf, type Commitment } from '../domain/commitment';
import { withActual, type ActualByYear } from '../domain/outlook';
import { effectOf, emptyBalances, type Booking, type FundBalances } from '../domain/ledger';
import { proposalSchema, type Proposal } from '../domain/proposal';
import type { LifecycleState } from '../domain/lifecycleState';
import type { LedgerEntryDoc, Store } from '../store';
import { markChanged } from '../store/changeMarks';
import { rowOf } from '../store/ledgerRows';
import { housingFirst, youthAnxietyGroups } from '../test/fixtures/proposals';

const contractTerms = (startDate: string) => ({
  provider: 'Boligsocialt Netværk',
  investor: 'Den Sociale Kapitalfond',
  startDate,
  measurementMonths: [12, 24, 36, 48],
  rateCard: [{ metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnitOre: 100_000, targetUnits: 90, maxPaymentOre: 9_000_000 }],
  totalCapOre: 8_000_000,
  reservedOre: 8_000_000,
  payee: 'investor' as const,
  proposedBy: 'sara.secretariat',
  signatures: [],
});

interface SeededCase {
  id: string;
  proposal: Proposal;
  stage: Commitment['stage'];
  commitment: Commitment;
  bookings: (Booking & { date: string; suffix: string })[];
}

/** The i-th seeded case: its kind by i modulo 3, small sums so that any number of them fit the books. */
function seededCase(prefix: string, i: number, today: string): SeededCase {
  const id = `${prefix}-${String(i).padStart(5, '0')}`;
  const base = {
    proposalId: id,
    stageSeq: 8,
    rounds: [],
    tasks: [],
    cooperationAgreement: { savingsShare: { kind: 'percentage' as const, basisPoints: 3000 }, conditions: 'c', by: 'msb.head', at: today },
  };
  const year = Number(today.slice(0, 4));
  const seeded = (proposal: Proposal, state: LifecycleState, bookings: SeededCase['bookings']): SeededCase => ({
    id,
    proposal,
    stage: state.stage,
    commitment: commitmentOf(state),
    bookings,
  });
  if (i % 3 === 0) {
    const proposal = proposalSchema.parse(housingFirst);
    const state: LifecycleState = {
      ...base,
      stage: 'Implementation',
      contracting: { offers: [], recommendations: [], contract: contractTerms(`${year - 1}-01-01`) },
      implementation: {
        measurements: [{ months: 12, dueAt: today, paymentOre: 3_000_000 }],
        paidOre: 3_000_000,
        paidPerMetricOre: { 'Andel i egen bolig': 3_000_000 },
        reservedOre: 5_000_000,
        returnedOre: 0,
        returnedPerYearOre: {},
      },
    };
    return seeded(proposal, state, [
      { suffix: 'contract.reservation', kind: 'reservation', amountOre: 8_000_000, proposalId: id, date: `${year - 1}-01-01` },
      { suffix: 'contract.m12.payment', kind: 'outcomePayment', amountOre: 3_000_000, proposalId: id, fromReservation: true, date: today },
    ]);
  }
  const proposal = proposalSchema.parse(youthAnxietyGroups);
  if (i % 3 === 1) {
    const tranches = [
      { dueDate: today, amountOre: 700_000, condition: 'c', status: 'paid' as const },
      { dueDate: `${year + 1}-06-01`, amountOre: 500_000, condition: 'c', status: 'scheduled' as const },
    ];
    const state: LifecycleState = {
      ...base,
      stage: 'GrantActive',
      grant: { grantee: 'Foreningen Ung i Aarhus', amountOre: 1_200_000, conditions: 'c', agreedBy: 'sara.secretariat', agreedAt: today, reservedOre: 500_000, tranches },
    };
    return seeded(proposal, state, [
      { suffix: 'grant.reservation', kind: 'reservation', amountOre: 1_200_000, proposalId: id, date: today },
      { suffix: 'grant.t1.release', kind: 'release', amountOre: 700_000, proposalId: id, date: today },
      { suffix: 'grant.t1.payment', kind: 'directGrant', amountOre: 700_000, proposalId: id, date: today },
    ]);
  }
  const state: LifecycleState = { ...base, stage: 'AwaitingGrant' };
  return {
    id,
    proposal,
    stage: state.stage,
    commitment: commitmentOf(state),
    bookings: [{ suffix: 'earmark', kind: 'earmark', amountOre: 1_200_000, proposalId: id, date: today }],
  };
}

/**
 * Adds `n` cases after whatever the database holds (run `prepareDatabase` first, for
 * the people and the opening balance), as one more stretch of the ledger's chain.
 * The capital is topped up by what they take, so the books stay positive.
 */
export async function seedCommitments(store: Store, n: number, prefix = 'SEED') {
  const today = new Date().toISOString().slice(0, 10);
  const cases = Array.from({ length: n }, (_, i) => seededCase(prefix, i, today));
  const head = await store.ledger.findOne({}).sort({ seq: -1 }).lean();
  let seq = head?.seq ?? 0;
  let balances: FundBalances = { ...emptyBalances, ...head?.balancesAfter };
  const reserved: Record<string, number> = { ...head?.reservedByProposalAfter };
  const earmarked: Record<string, number> = { ...head?.earmarkedByProposalAfter };
  let byYear: ActualByYear = head?.actualByYearAfter ?? {};
  const entries: LedgerEntryDoc[] = [];
  const append = (b: Booking & { date: string; key: string }) => {
    const effect = effectOf(b);
    balances = { ...balances };
    for (const [k, v] of Object.entries(effect.delta)) balances[k as keyof FundBalances] += v;
    if (b.proposalId && effect.reservedDelta) reserved[b.proposalId] = (reserved[b.proposalId] ?? 0) + effect.reservedDelta;
    if (b.proposalId && effect.earmarkedDelta) earmarked[b.proposalId] = (earmarked[b.proposalId] ?? 0) + effect.earmarkedDelta;
    seq += 1;
    byYear = withActual(byYear, { kind: b.kind, amountOre: b.amountOre, date: new Date(b.date) });
    entries.push({
      _id: b.key,
      seq,
      kind: b.kind,
      amountOre: b.amountOre,
      proposalId: b.proposalId,
      fromReservation: b.fromReservation ?? false,
      date: new Date(b.date),
      reason: 'Seeded',
      by: 'system',
      createdAt: new Date(),
      balancesAfter: balances,
      // Only the case booked: a copy of the whole map on every entry grows with the square of the cases.
      reservedByProposalAfter: b.proposalId && b.proposalId in reserved ? { [b.proposalId]: reserved[b.proposalId] } : {},
      earmarkedByProposalAfter: b.proposalId && b.proposalId in earmarked ? { [b.proposalId]: earmarked[b.proposalId] } : {},
      actualByYearAfter: byYear,
    });
  };
  const taken = cases.flatMap((c) => c.bookings).reduce((s, b) => s + (b.kind === 'release' ? 0 : b.amountOre), 0);
  append({ key: `${prefix}.capital`, kind: 'capital', amountOre: taken, date: today });
  for (const c of cases) for (const b of c.bookings) append({ ...b, key: `${c.id}.${b.suffix}` });
  // The head carries the whole maps, as the system's last booking does: the next booking and the fund's figures read only the head.
  Object.assign(entries[entries.length - 1], { reservedByProposalAfter: reserved, earmarkedByProposalAfter: earmarked });

  const now = new Date();
  await inBatches(
    cases.map((c) => ({
      _id: c.id,
      workflowId: `proposal-${c.id}`,
      content: c.proposal,
      // As a new proposal is stored: the list numbers it at its next read.
      listed: false,
      revision: 1,
      stage: c.stage,
      stageSeq: 8,
      createdBy: 'sara.secretariat',
      createdAt: now,
      updatedAt: now,
    })),
    (docs) => store.proposals.collection.insertMany(docs as never[]),
  );
  await inBatches(entries, (docs) => store.ledger.collection.insertMany(docs as never[]));
  await inBatches(entries.map(rowOf), (docs) => store.ledgerRows.collection.insertMany(docs as never[]));
  await inBatches(
    cases.map((c) => ({ _id: c.id, seq: 1, stage: c.stage, counted: true, terms: termsOf(c.proposal), title: c.proposal.title, commitment: c.commitment, updatedAt: now })),
    (docs) => store.commitments.collection.insertMany(docs as never[]),
  );
  // As store/commitments.ts does after each write: a reader that keeps the outlook reads it again.
  await markChanged(store, 'commitments');
  return cases.map((c) => c.id);
}

/** Driver inserts of a thousand documents at a time (no per-document validation: the documents are built as the store writes them). */
async function inBatches<T>(docs: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < docs.length; i += 1_000) await insert(docs.slice(i, i + 1_000));
}
