/** Whole øre. Money never lives in a float: 1 DKK = 100 øre. */
export type Ore = number;

const dkkPattern = /^(-?)(\d{1,14})(?:\.(\d{1,2}))?$/;

/**
 * Parses DKK as written by people and JSON ("1234567.89", 1234567.89, "23000000")
 * into whole øre, digit by digit, so no binary fraction ever touches the amount.
 * Returns undefined for more than two decimals, exponents, or anything else.
 */
export function parseDkk(value: string | number): Ore | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = dkkPattern.exec(text);
  if (!match) return undefined;
  const [, sign, kroner, decimals = ''] = match;
  const ore = Number(kroner) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return undefined;
  return sign === '-' && ore !== 0 ? -ore : ore;
}

/** "1234567.89": the API's plain DKK notation, exact for every whole øre. */
export function formatDkk(ore: Ore): string {
  assertOre(ore);
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "1.234.567,89 kr.": how a Danish reader expects an amount. */
export function formatDkkDanish(ore: Ore): string {
  const [kroner, oere] = formatDkk(ore).split('.');
  const negative = kroner.startsWith('-');
  const digits = negative ? kroner.slice(1) : kroner;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped},${oere} kr.`;
}

/** Whole DKK, rounded down: what a search attribute or a headline shows. */
export function wholeKroner(ore: Ore): number {
  assertOre(ore);
  return Math.trunc(ore / 100);
}

export function assertOre(ore: Ore): void {
  if (!Number.isSafeInteger(ore)) throw new Error(`${ore} is not a whole number of øre`);
}

/**
 * `basisPoints` (hundredths of a per cent, at most 10,000) of `ore`, rounded down, exactly:
 * the product itself passes the largest whole number a double holds exactly above about 9
 * billion DKK (the schemas take up to 100 billion), so the whole ten-thousands and the rest
 * are taken apart.
 */
export function basisPointsOf(ore: Ore, basisPoints: number): Ore {
  const tenThousands = Math.floor(ore / 10_000);
  return tenThousands * basisPoints + Math.floor(((ore - tenThousands * 10_000) * basisPoints) / 10_000);
}
