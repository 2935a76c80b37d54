import { ApplicationFailure } from '@temporalio/activity';
import type { Proposal } from '../domain/proposal';
import { approvedUnreservedStages } from '../domain/stages';
import type { Store } from './index';
import { ledger, ledgerRefusal } from './ledger';
import { proposalsInStages } from './proposalsInStages';

/** Approved proposals the fund has not reserved money for yet, but for the one `exceptProposalId` names. */
export async function approvedUnreserved(store: Store, exceptProposalId?: string) {
  // Of each, what the fund's figures and its page show, not the proposal's whole text.
  const approved = await proposalsInStages(store, approvedUnreservedStages, { stage: 1, 'content.title': 1, 'content.businessCase.requestedFromFund': 1 });
  return approved.filter((p) => p._id !== exceptProposalId);
}

interface LedgerView {
  capitalOre: number;
  freeOre: number;
  earmarkedOre?: number;
  earmarkedByProposal?: Record<string, number>;
  reservedByProposal?: Record<string, number>;
}
const requested = (p: { content: unknown }) => (p.content as Proposal).businessCase?.requestedFromFund ?? 0;

/**
 * Approved before earmarks existed: never earmarked nor reserved in the ledger, so only the
 * read model holds their claim. A case whose earmark or reservation was given back keeps its
 * key at 0 (released before its stage moves on, when refused or withdrawn): it claims nothing.
 */
function unearmarked<P extends { _id: string; content: unknown }>(balances: LedgerView, approved: P[]) {
  const inLedger = (byProposal: Record<string, number> | undefined, id: string) => !!byProposal && Object.hasOwn(byProposal, id);
  return approved.filter((p) => !inLedger(balances.earmarkedByProposal, p._id) && !inLedger(balances.reservedByProposal, p._id));
}

/**
 * What the council may still approve: free in the ledger (earmarks, the council's
 * approvals not yet reserved, are already out of it), less what older approvals
 * without an earmark will still reserve. `freeOre` is free before those commitments.
 */
export function positionOf(balances: LedgerView, approved: { _id: string; content: unknown }[]) {
  const earmarkedOre = balances.earmarkedOre ?? 0;
  const legacyOre = unearmarked(balances, approved).reduce((sum, p) => sum + requested(p), 0);
  return { capitalOre: balances.capitalOre, freeOre: balances.freeOre + earmarkedOre, committedOre: earmarkedOre + legacyOre, availableOre: balances.freeOre - legacyOre };
}

/** The fund as a council decision sees it, the proposal under decision left out. */
export async function fundPosition(store: Store, exceptProposalId: string) {
  const [balances, approved] = await Promise.all([ledger(store).balances(), approvedUnreserved(store, exceptProposalId)]);
  return positionOf(balances, approved);
}

export interface EarmarkRequest {
  key: string;
  proposalId: string;
  amountOre: number;
  date: string;
  reason: string;
  by: string;
}

/**
 * Sets the approved amount aside in the ledger when the council's votes pass, so two
 * rounds deciding at once cannot both take the same free capital: the ledger's chain
 * lets one booking at a time take its place, and the second sees the first. Older
 * approvals without an earmark are kept free as well. Once per key.
 */
export async function earmark(store: Store, e: EarmarkRequest): Promise<{ booked: true } | { booked: false; availableOre: number }> {
  if (e.amountOre <= 0) return { booked: true }; // nothing asked of the fund
  const books = ledger(store);
  const [balances, approved] = await Promise.all([books.balances(), approvedUnreserved(store, e.proposalId)]);
  const keepFreeOre = unearmarked(balances, approved).reduce((sum, p) => sum + requested(p), 0);
  try {
    await books.book({ ...e, kind: 'earmark', keepFreeOre });
    return { booked: true };
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.type === ledgerRefusal)) throw err;
    return { booked: false, availableOre: Math.max(0, (await fundPosition(store, e.proposalId)).availableOre) };
  }
}

/** Gives back whatever the proposal still has earmarked (refused, withdrawn, returned, cancelled); nothing if none. Once per key. */
export async function releaseEarmark(store: Store, r: Omit<EarmarkRequest, 'amountOre'>): Promise<void> {
  if (await store.ledger.exists({ _id: r.key })) return;
  const books = ledger(store);
  const held = (await books.balances()).earmarkedByProposal[r.proposalId] ?? 0;
  // Only this proposal's workflow changes its earmark, one step at a time, so `held` is still true when booked.
  if (held > 0) await books.book({ ...r, kind: 'earmarkRelease', amountOre: held });
}

/** What the ledger holds for one proposal now: reserved (a grant, a contract) and earmarked (approved, not yet reserved). */
export async function heldFor(store: Store, proposalId: string): Promise<{ reservedOre: number; earmarkedOre: number }> {
  const b = await ledger(store).balances();
  return { reservedOre: b.reservedByProposal[proposalId] ?? 0, earmarkedOre: b.earmarkedByProposal[proposalId] ?? 0 };
}

/**
 * Gives back to free capital whatever a stopped case still holds: its reservation
 * (`<key>.release`) and its earmark (`<key>.earmarkRelease`). Each booking once per
 * key; a retry after the first finds it and books only what is still missing.
 * Its workflow is closed, so nothing else changes what the case holds meanwhile.
 */
export async function releaseHeld(store: Store, r: { key: string; proposalId: string; date: string; reason: string; by: string }) {
  const books = ledger(store);
  const releaseOf = async (kind: 'release' | 'earmarkRelease', held: keyof Awaited<ReturnType<typeof heldFor>>) => {
    const key = `${r.key}.${kind}`;
    const done = await store.ledger.findById(key).lean();
    if (done) return done.amountOre;
    const amountOre = (await heldFor(store, r.proposalId))[held];
    if (amountOre > 0) return (await books.book({ ...r, key, kind, amountOre })).amountOre;
    // Nothing held now: unless another attempt of this step (a local one that ran past its time) gave it back meanwhile.
    return (await store.ledger.findById(key).lean())?.amountOre ?? 0;
  };
  return { reservedOre: await releaseOf('release', 'reservedOre'), earmarkedOre: await releaseOf('earmarkRelease', 'earmarkedOre') };
}
