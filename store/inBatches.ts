/**
 * `work` for each item, `size` at a time, the results in the items' order. A read or
 * write a case (or an entry) is an indexed equality the embedded database serves at
 * once; all of them at once would queue on the connection pool the casework shares.
 */
export async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}
