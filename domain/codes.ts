/**
 * Codes with parameters, the shape of every refusal, recorded reason and validation
 * issue (refusals.ts, issues.ts): how a table words them and how their parameters travel.
 */

/** A code's parameters: the union member without its code. */
export type ParamsOf<U extends { code: string }, C extends U['code']> = Omit<Extract<U, { code: C }>, 'code'>;

/** One sentence per code: a table missing a code, or with one too many, does not compile. */
export type Wording<U extends { code: string }> = { [C in U['code']]: (p: ParamsOf<U, C>) => string };

/** Words any table may use the same way. */
export const render = <U extends { code: string }>(table: Wording<U>, item: U): string => (table[item.code as U['code']] as unknown as (p: U) => string)(item);

/** A code's parameters alone, as problem+json carries them. */
export function paramsOf<U extends { code: string }>(item: U): Omit<U, 'code'> {
  const { code: _, ...params } = item;
  return params;
}
