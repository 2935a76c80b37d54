import { formatDkk } from '../../domain/money';
import type { PortfolioRow } from '../../domain/portfolio';
import { dict, type Lang } from '../../i18n';

/**
 * The portfolio as a spreadsheet opens it on double-click in the reader's language:
 * UTF-8 with a byte-order mark (so Excel reads æøå), CRLF lines, a header row, and in
 * Danish `;` between fields and a decimal comma, as Danish Excel expects; in English
 * `,` and a decimal point. Amounts are plain numbers in DKK, dates YYYY-MM-DD.
 */
export function portfolioCsv(lang: Lang, rows: PortfolioRow[]): string {
  const t = dict(lang);
  const p = t.portfolio;
  const separator = lang === 'da' ? ';' : ',';
  const decimal = (text: string) => (lang === 'da' ? text.replace('.', ',') : text);
  const amount = (ore: number) => decimal(formatDkk(ore));
  const share = (part: number, whole: number) => (whole > 0 ? decimal(((part / whole) * 100).toFixed(1)) : '');
  const header = [
    p.proposal,
    p.title_,
    p.kind,
    p.stage,
    p.welfareArea,
    p.department,
    p.counterpart,
    p.effect,
    p.tranches,
    p.committed,
    p.paid,
    p.paidShare,
    p.returned,
    p.next,
    p.nextDate,
  ].map(text);
  const lines = rows.map((r) =>
    [
      text(r.proposalId),
      text(r.title),
      text(p.kinds[r.kind]),
      text(t.stage[r.stage] ?? r.stage),
      text(t.welfareArea[r.welfareArea] ?? r.welfareArea),
      text(r.department),
      text(r.counterpart ?? ''),
      text(r.effect.map((e) => p.effectOf(e.metric, e.achievedUnits, e.targetUnits, e.unit)).join('; ')),
      text(r.tranches ? p.tranchesOf(r.tranches.paid, r.tranches.withheld, r.tranches.total) : ''),
      amount(r.committedOre),
      amount(r.paidOre),
      share(r.paidOre, r.committedOre),
      amount(r.returnedOre),
      text(r.next ? (r.next.months !== null ? p.nextPoint(r.next.months) : p.nextTranche(r.next.tranche!)) : ''),
      r.next?.date ?? '',
    ].map((field) => quoted(field, separator)),
  );
  return `\uFEFF${[header.map((h) => quoted(h, separator)), ...lines].map((fields) => fields.join(separator)).join('\r\n')}\r\n`;
}

/**
 * Text a spreadsheet must not take for a formula: a title typed as `=HYPERLINK(…)`
 * would otherwise run when the file is opened, so it is prefixed with an apostrophe.
 */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a field holding the separator, a quote or a line break is quoted, its quotes doubled. */
function quoted(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
