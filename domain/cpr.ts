import { daysInMonth } from './dates';

/**
 * Danish CPR numbers (personnumre) in free text. The fund works on counts of outcomes
 * and never needs a citizen's identity, so text that holds one is refused.
 *
 * A CPR number is DDMMYY-SSSS or DDMMYYSSSS (any dash, or a slash; a space after the word CPR or personnummer) whose first six digits are a
 * real date. The first serial digit says the century, as the CPR office assigns it, so
 * 29 February is judged in the right year. Modulus 11 is not checked: numbers issued
 * since 2007 need not satisfy it. Ten digits inside a longer run of digits (an IBAN, an
 * EAN number) or with decimals after them (an amount) are not a CPR number.
 */
const candidate = /(?<!\d)(?<!\d[.,])(\d{2})(\d{2})(\d{2})[-\u2010-\u2013\u2212/]?(\d)\d{3}(?![.,]?\d)/g;
/** With a space between them only where the text says it is one: "Mødet 150324 1400" is a date and a time. */
const named = /(?:cpr|personn(?:umme)?r)[^\d\n]{0,12}(\d{2})(\d{2})(\d{2}) (\d)\d{3}(?![.,]?\d)/gi;

export function containsCprNumber(text: string): boolean {
  for (const m of [...text.matchAll(candidate), ...text.matchAll(named)]) {
    const [day, month, yy, serial] = [m[1], m[2], m[3], m[4]].map(Number);
    if (isDate(centuryOf(serial, yy) + yy, month, day)) return true;
  }
  return false;
}

/** The century of a birth year from the first serial digit (CPR-kontoret's table). */
function centuryOf(firstSerialDigit: number, yy: number): number {
  if (firstSerialDigit <= 3) return 1900;
  if (firstSerialDigit === 4 || firstSerialDigit === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}

const isDate = (year: number, month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month - 1);
