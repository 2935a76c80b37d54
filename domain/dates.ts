/**
 * `months` calendar months after an ISO date (YYYY-MM-DD), at midnight UTC, as an
 * ISO date-time. A day the target month lacks becomes its last day: 31 January plus
 * one month is 28 (or 29) February, never 3 March. The one place the code adds
 * months: measurement points, the OCDS milestones and the outlook's years use it.
 */
export function addMonths(isoDate: string, months: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m || !Number.isInteger(months)) throw new RangeError(`addMonths(${isoDate}, ${months}): a date YYYY-MM-DD and whole months`);
  const monthIndex = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return utcMidnight(year, month, day).toISOString();
}

/** Days in a month (0 = January) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return utcMidnight(year, month + 1, 0).getUTCDate();
}

/** setUTCFullYear, unlike Date.UTC, leaves the years 0–99 alone. */
function utcMidnight(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d;
}

/** The municipality's time zone: its days, its meetings' hours, the pages' dates. */
export const timeZone = 'Europe/Copenhagen';

/** The municipality's calendar: a booking, a report's year and the outlook's "today" follow Copenhagen's days, not UTC's. */
const copenhagenDays = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day it is in Copenhagen at `at`, as YYYY-MM-DD: 00:20 on 1 January there is 1 January, though 31 December in UTC. */
export const copenhagenDay = (at: Date): string => copenhagenDays.format(at);
