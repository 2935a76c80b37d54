import type { OutlookYear } from '../../domain/outlook';
import { html, type Html } from './html';
import { dict, locale, type Lang } from '../../i18n';

const width = 800;
const height = 340;
const plot = { left: 64, right: 16, top: 36, bottom: 76 };

/** A step of 1, 2 or 5 times a power of ten (in DKK) that splits the range into at most about five parts. */
export function niceStep(rangeKr: number): number {
  if (!(rangeKr > 0)) return 1_000_000;
  const raw = rangeKr / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The 10-year outlook as an SVG the server renders: the free capital at each year's
 * end as a line, payments out and returns in per year as bars, the first dry year
 * shaded. It is an image to screen readers (title and description); the numbers
 * themselves stand in the table next to it, so nothing is only in the picture.
 */
export function outlookChart(lang: Lang, outlook: { years: OutlookYear[]; runsDryIn: number | null }, id = 'outlook-chart'): Html {
  const t = dict(lang).fund.chart;
  const { years, runsDryIn } = outlook;
  const kr = (ore: number) => ore / 100;
  const out = (y: OutlookYear) => kr(y.outcomePaymentsOre + y.grantsOre);
  const values = years.flatMap((y) => [kr(y.freeAtYearEndOre), out(y), kr(y.savingsReturnedOre)]);
  const step = niceStep(Math.max(0, ...values) - Math.min(0, ...values));
  const top = Math.ceil(Math.max(0, ...values) / step) * step || step;
  const bottom = Math.floor(Math.min(0, ...values) / step) * step;
  const plotWidth = width - plot.left - plot.right;
  const plotHeight = height - plot.top - plot.bottom;
  const yOf = (v: number) => round(plot.top + ((top - v) / (top - bottom)) * plotHeight);
  const band = plotWidth / Math.max(1, years.length);
  const xOf = (i: number) => plot.left + i * band;
  const ticks = Array.from({ length: Math.round((top - bottom) / step) + 1 }, (_, i) => bottom + i * step);
  const millions = (v: number) => (v / 1_000_000).toLocaleString(locale[lang], { maximumFractionDigits: 1 });
  const labelEvery = Math.ceil(years.length / 15);
  const bar = (cls: string, i: number, offset: number, v: number) =>
    html`<rect class="${cls}" x="${round(xOf(i) + band * offset)}" y="${yOf(v)}" width="${round(band * 0.3)}" height="${round(yOf(0) - yOf(v))}"/>`;
  const line = years.map((y, i) => `${round(xOf(i) + band / 2)},${yOf(kr(y.freeAtYearEndOre))}`).join(' ');
  const dryIndex = years.findIndex((y) => y.year === runsDryIn);
  const first = years[0]?.year ?? '';
  const last = years[years.length - 1]?.year ?? '';
  const legendY = height - 18;

  return html`<svg class="outlook-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" focusable="false">
  <title id="${id}-title">${t.title}</title>
  <desc id="${id}-desc">${t.desc(String(first), String(last), runsDryIn)}</desc>
  ${
    dryIndex >= 0
      ? html`<rect class="dry-band" x="${round(xOf(dryIndex))}" y="${plot.top}" width="${round(band)}" height="${plotHeight}"/>
  <text class="dry-label" x="${round(xOf(dryIndex) + band / 2)}" y="${plot.top - 8}" text-anchor="middle">${t.dry(runsDryIn!)}</text>`
      : ''
  }
  <text class="axis-title" x="${plot.left - 8}" y="${plot.top - 20}" text-anchor="end">${t.axis}</text>
  ${ticks.map(
    (v) => html`<line class="${v === 0 ? 'zero-line' : 'grid-line'}" x1="${plot.left}" x2="${width - plot.right}" y1="${yOf(v)}" y2="${yOf(v)}"/>
  <text class="tick" x="${plot.left - 8}" y="${yOf(v) + 4}" text-anchor="end">${millions(v)}</text>`,
  )}
  ${years.map((y, i) => html`${bar('bar-out', i, 0.18, out(y))}${bar('bar-in', i, 0.52, kr(y.savingsReturnedOre))}`)}
  <polyline class="free-line" points="${line}" fill="none"/>
  ${years.map((y, i) => html`<circle class="free-point" cx="${round(xOf(i) + band / 2)}" cy="${yOf(kr(y.freeAtYearEndOre))}" r="4"/>`)}
  ${years.map((y, i) => (i % labelEvery === 0 ? html`<text class="tick" x="${round(xOf(i) + band / 2)}" y="${height - plot.bottom + 20}" text-anchor="middle">${y.year}</text>` : ''))}
  <g class="legend">
    <line class="free-line" x1="${plot.left}" x2="${plot.left + 24}" y1="${legendY - 4}" y2="${legendY - 4}"/>
    <text x="${plot.left + 30}" y="${legendY}">${t.free}</text>
    <rect class="bar-out" x="${plot.left + 260}" y="${legendY - 11}" width="14" height="14"/>
    <text x="${plot.left + 280}" y="${legendY}">${t.out}</text>
    <rect class="bar-in" x="${plot.left + 500}" y="${legendY - 11}" width="14" height="14"/>
    <text x="${plot.left + 520}" y="${legendY}">${t.in}</text>
  </g>
</svg>`;
}
