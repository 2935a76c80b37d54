import type { Request, Response } from 'express';
import { formatDkk, formatDkkDanish, type Ore } from '../../../domain/money';
import * as layout from './layout';
import * as form from './form';
import * as tasks from './tasks';
import * as taskForms from './taskForms';
import * as proposal from './proposal';
import * as procurement from './procurement';
import * as fund from './fund';
import * as report from './report';

/** Danish by default; English as a choice remembered in a cookie. */
export const langs = ['da', 'en'] as const;
export type Lang = (typeof langs)[number];
export const langCookie = 'sif_lang';

export const timeZone = 'Europe/Copenhagen';
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

export function langOf(req: Request): Lang {
  const value = cookieValue(req, langCookie);
  return value === 'en' ? 'en' : 'da';
}

export function setLang(res: Response, lang: Lang, secure: boolean) {
  res.cookie(langCookie, lang, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
}

export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** One dictionary per language, assembled from the parts each page or feature keeps in its own file. */
const da = { ...layout.da, ...form.da, ...tasks.da, ...taskForms.da, ...proposal.da, ...procurement.da, ...fund.da, ...report.da };

export type Dict = typeof da;

const en: Dict = { ...layout.en, ...form.en, ...tasks.en, ...taskForms.en, ...proposal.en, ...procurement.en, ...fund.en, ...report.en };

const dicts: Record<Lang, Dict> = { da, en };

export function dict(lang: Lang): Dict {
  return dicts[lang];
}
