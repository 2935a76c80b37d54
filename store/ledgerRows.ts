import type { LedgerEntryDoc, LedgerRowDoc, Store } from '.';
import { insertOnce } from './serialised';

/** Entries a block of the chain holds: a page reads the blocks its numbers fall in. */
const LEDGER_BLOCK = 25;
const blockOf = (seq: number) => Math.floor((seq - 1) / LEDGER_BLOCK);

/** The fields of an entry a row keeps. */
export const rowFields = { seq: 1, kind: 1, amountOre: 1, proposalId: 1, fromReservation: 1, counterpart: 1, date: 1, reason: 1, by: 1, 'balancesAfter.freeOre': 1 };
export type LedgerRow = Omit<LedgerRowDoc, 'block'>;

export function rowOf(e: Pick<LedgerEntryDoc, keyof LedgerRow> | LedgerRow): LedgerRowDoc {
  return {
    _id: e._id,
    seq: e.seq,
    block: blockOf(e.seq),
    kind: e.kind,
    amountOre: e.amountOre,
    ...(e.proposalId ? { proposalId: e.proposalId } : {}),
    fromReservation: e.fromReservation,
    ...(e.counterpart ? { counterpart: e.counterpart } : {}),
    date: e.date,
    reason: e.reason,
    by: e.by,
    balancesAfter: { freeOre: e.balancesAfter.freeOre },
  };
}

/** Keeps the row of an entry just booked; once, however often a booking is retried. */
export async function keepRow(store: Store, entry: LedgerEntryDoc): Promise<void> {
  const { _id, ...fields } = rowOf(entry);
  await insertOnce(store.ledgerRows, _id, fields);
}

/**
 * The rows numbered `bottom` to `top`, newest first, read as the few blocks they fall in
 * by an indexed equality (FerretDB v1 pushes down no range, and sorts and counts by
 * reading everything): two or three small queries a page. An entry without its row
 * (booked before rows were kept, or by a process that died between the two writes)
 * is read by its number once, and its row kept then.
 */
export async function rowsBetween(store: Store, bottom: number, top: number): Promise<LedgerRow[]> {
  if (top < bottom) return [];
  const blocks: number[] = [];
  for (let b = blockOf(bottom); b <= blockOf(top); b++) blocks.push(b);
  const found = await Promise.all(blocks.map((block) => store.ledgerRows.find({ block }, { block: 0 }).lean<LedgerRow[]>()));
  const bySeq = new Map(found.flat().map((r) => [r.seq, r]));
  const seqs = Array.from({ length: top - bottom + 1 }, (_, i) => top - i);
  await Promise.all(
    seqs
      .filter((seq) => !bySeq.has(seq))
      .map(async (seq) => {
        const entry = await store.ledger.findOne({ seq }, rowFields).lean<LedgerRow>();
        if (!entry) return;
        const { block: _block, ...row } = rowOf(entry);
        bySeq.set(seq, row);
        // Only a saving for the next read: a row that could not be kept now is kept by that read.
        await keepRow(store, entry as LedgerEntryDoc).catch(() => undefined);
      }),
  );
  return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
}
