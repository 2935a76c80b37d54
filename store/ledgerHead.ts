import type { LedgerEntryDoc, Store } from '.';

/** Per store, the newest `seq` this process has seen: the next search starts there. */
const seen = new WeakMap<Store, number>();

/**
 * The newest entry of the ledger's chain, found by equality lookups on its unique `seq`
 * rather than by a sort: FerretDB v1 sorts in its own process, after reading every entry
 * (at 1,000 cases each read of the head took most of a second, and every booking and
 * fund figure reads it). The chain is unbroken from 1, so the head is the last `seq`
 * that exists: from the newest this process has seen, one lookup confirms nothing came
 * since (made beside the read of that entry); otherwise the search gallops forward and
 * halves back, a few lookups for the few entries others booked meanwhile. The entry is
 * read whole (see `entryAt`).
 */
export async function newestEntry(store: Store): Promise<LedgerEntryDoc | null> {
  const at = (seq: number) => entryAt(store, seq);
  const has = async (seq: number) => (await store.ledger.exists({ seq })) !== null;
  let from = seen.get(store) ?? 0;
  const [known, newer] = await Promise.all([from > 0 ? at(from) : null, has(from + 1)]);
  // A hint beyond the chain (the database was emptied meanwhile): search from the start.
  if (from > 0 && !known) from = 0;
  else if (!newer) return known;
  const seq = await lastExisting(has, from);
  seen.set(store, seq);
  return seq > 0 ? at(seq) : null;
}

/** Per store, the reads of an entry by its number under way. */
const reading = new WeakMap<Store, Map<number, Promise<LedgerEntryDoc | null>>>();

/**
 * The entry numbered `seq`, whole: reads of it at the same time share one. The fund
 * page's balances, its outlook's past and its ledger's count each read the head at
 * once, and FerretDB decodes the whole head, maps by case and all, for each read
 * whatever it projects (at 1,000 cases most of the page's growth). Nothing is kept
 * after the read answers, so no read sees an older head than it would alone.
 */
function entryAt(store: Store, seq: number): Promise<LedgerEntryDoc | null> {
  let under = reading.get(store);
  if (!under) reading.set(store, (under = new Map<number, Promise<LedgerEntryDoc | null>>()));
  const pending = under.get(seq);
  if (pending) return pending;
  const read = store.ledger
    .findOne({ seq })
    .lean<LedgerEntryDoc>()
    .finally(() => under.delete(seq));
  under.set(seq, read);
  return read;
}

/** Of 1, 2, 3, … the last for which `has` holds, given that it holds for `from` (0: none) and for every number before the last. */
async function lastExisting(has: (seq: number) => Promise<boolean>, from: number): Promise<number> {
  let lo = from;
  let step = 1;
  let hi = lo + step;
  while (await has(hi)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await has(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Tells the search that `seq` exists (this process just booked it). */
export function sawEntry(store: Store, seq: number) {
  if (seq > (seen.get(store) ?? 0)) seen.set(store, seq);
}
