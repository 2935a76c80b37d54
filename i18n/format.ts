import { durationInUnits, type DurationUnit } from '../domain/durations';
import { formatDkk, formatDkkDanish, type Ore } from '../domain/money';
import { timeZone } from '../domain/dates';

/** Danish by default; English as a choice remembered in a cookie. */
export const langs = ['da', 'en'] as const;
export type Lang = (typeof langs)[number];
export const langCookie = 'sif_lang';

export { timeZone };
export const locale: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

export function formatDate(lang: Lang, d: Date | string | undefined): string {
  if (!d) return '';
  return new Date(d).toLocaleDateString(locale[lang], { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
}

export function formatDateTime(lang: Lang, d: Date | string | undefined): string {
  if (!d) return '';
  return new Date(d).toLocaleString(locale[lang], { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "1.234.567,89 kr." for Danish readers; "DKK 1,234,567.89" in English. */
export function formatMoney(lang: Lang, ore: Ore): string {
  if (lang === 'da') return formatDkkDanish(ore);
  const [kroner, oere] = formatDkk(ore).split('.');
  return `DKK ${kroner.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${oere}`;
}

/** Øre as a form shows it for editing: "23000000,00" (da) or "23000000.00" (en). */
export function moneyInputValue(lang: Lang, ore: Ore | undefined): string {
  if (ore === undefined) return '';
  const plain = formatDkk(ore);
  return lang === 'da' ? plain.replace('.', ',') : plain;
}

const unitWords: Record<Lang, Record<DurationUnit, [string, string]>> = {
  da: { day: ['dag', 'dage'], hour: ['time', 'timer'], minute: ['minut', 'minutter'], second: ['sekund', 'sekunder'], millisecond: ['millisekund', 'millisekunder'] },
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], second: ['second', 'seconds'], millisecond: ['millisecond', 'milliseconds'] },
};

/** A configured period as the reader says it: "30 dage", "2 minutes". */
export function formatDuration(lang: Lang, ms: number): string {
  const { amount, unit } = durationInUnits(ms);
  return `${amount.toLocaleString(locale[lang])} ${unitWords[lang][unit][amount === 1 ? 0 : 1]}`;
}
