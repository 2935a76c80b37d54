import type { Store } from '.';

/** A case number as people read it: SIF-2026-001 (three digits at least). */
export const caseId = (year: number, number: number) => `SIF-${year}-${String(number).padStart(3, '0')}`;

/**
 * The highest case number of a year that a proposal holds, 0 for none. Numeric, so
 * SIF-2026-1000 comes after SIF-2026-999. A proposal's `_id` is its case number, so
 * the unique `_id` index decides between two requests that take the same one.
 */
export async function lastCaseNumber(store: Store, year: number): Promise<number> {
  const prefix = `SIF-${year}-`;
  const ids = await store.proposals.find({ _id: { $regex: `^${prefix}\\d+$` } }, { _id: 1 }).lean();
  return ids.reduce((max, { _id }) => Math.max(max, Number(_id.slice(prefix.length))), 0);
}

/** Per store (a test run has several) and year: the highest case number this process saw kept. */
const keptNumbers = new WeakMap<Store, Map<number, number>>();

/**
 * The highest case number this process knows a proposal holds, without reading them all:
 * the next creation tries the one after, and reads the numbers only if that one is taken
 * (another API process, or a request of this one still under way).
 */
export const lastKeptCaseNumber = (store: Store, year: number): number | undefined => keptNumbers.get(store)?.get(year);

/** A proposal now holds `number` for good: its workflow runs. */
export function noteKeptCaseNumber(store: Store, year: number, number: number) {
  const years = keptNumbers.get(store) ?? new Map<number, number>();
  keptNumbers.set(store, years);
  years.set(year, Math.max(number, years.get(year) ?? 0));
}
