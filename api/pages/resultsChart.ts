import { html, type Html } from './html';
import { niceStep } from './outlookChart';

const width = 800;
const height = 300;
const plot = { left: 72, right: 120, top: 36, bottom: 64 };
const round = (n: number) => Math.round(n * 10) / 10;

/** A chart of a few series over the measurement points; a value left out is a point not reached yet. */
export interface ResultsChartSpec {
  id: string;
  title: string;
  /** Says in words what the chart shows; the numbers stand in the table beside it. */
  desc: string;
  /** What the values count (units, millions of DKK), over the axis. */
  axis: string;
  categories: string[];
  bars: { cls: string; label: string; values: (number | undefined)[] }[];
  line?: { cls: string; label: string; values: (number | undefined)[] };
  /** A level to measure against (the target, the cap), named in the legend and marked at its end. */
  reference?: { cls: string; label: string; mark: string; value: number };
  tick(value: number): string;
  /** The smallest step between grid lines: 1 for whole units. */
  minStep?: number;
}

/**
 * Results over a contract's measurement points as an SVG the server draws: bars per
 * point, a line through them, and the level they are measured against. Like the
 * fund's outlook it is an image to screen readers (title and description) with no
 * script or style attribute, and every number in it is in the table next to it.
 */
export function resultsChart(c: ResultsChartSpec): Html {
  const values = [...c.bars.flatMap((b) => b.values), ...(c.line?.values ?? []), c.reference?.value].filter((v): v is number => v !== undefined);
  const step = Math.max(niceStep(Math.max(0, ...values)), c.minStep ?? 0);
  const top = Math.ceil(Math.max(0, ...values) / step) * step || step;
  const plotWidth = width - plot.left - plot.right;
  const plotHeight = height - plot.top - plot.bottom;
  const yOf = (v: number) => round(plot.top + ((top - v) / top) * plotHeight);
  const band = plotWidth / Math.max(1, c.categories.length);
  const xOf = (i: number) => plot.left + i * band;
  const barWidth = (band * 0.6) / Math.max(1, c.bars.length);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const linePoints = (c.line?.values ?? []).flatMap((v, i) => (v === undefined ? [] : [`${round(xOf(i) + band / 2)},${yOf(v)}`]));
  const legend = [
    ...c.bars.map((b) => ({ cls: b.cls, label: b.label, kind: 'bar' })),
    ...(c.line ? [{ ...c.line, kind: 'line' }] : []),
    ...(c.reference ? [{ ...c.reference, kind: 'line' }] : []),
  ];
  // Each legend entry as wide as its words (about 7.5 units a character at this size), so long labels do not run together.
  const legendX = legend.map((_, i) => plot.left + legend.slice(0, i).reduce((x, item) => x + 26 + item.label.length * 7.5 + 28, 0));
  const legendY = height - 14;

  return html`<svg class="results-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${c.id}-title" aria-describedby="${c.id}-desc" focusable="false">
  <title id="${c.id}-title">${c.title}</title>
  <desc id="${c.id}-desc">${c.desc}</desc>
  <text class="axis-title" x="${plot.left - 8}" y="${plot.top - 18}" text-anchor="end">${c.axis}</text>
  ${ticks.map(
    (v) => html`<line class="${v === 0 ? 'zero-line' : 'grid-line'}" x1="${plot.left}" x2="${width - plot.right}" y1="${yOf(v)}" y2="${yOf(v)}"/>
  <text class="tick" x="${plot.left - 8}" y="${yOf(v) + 4}" text-anchor="end">${c.tick(v)}</text>`,
  )}
  ${c.bars.map((b, j) =>
    b.values.map((v, i) =>
      v === undefined
        ? ''
        : html`<rect class="${b.cls}" x="${round(xOf(i) + band * 0.2 + j * barWidth)}" y="${yOf(v)}" width="${round(barWidth)}" height="${round(yOf(0) - yOf(v))}"/>`,
    ),
  )}
  ${linePoints.length > 0 ? html`<polyline class="${c.line!.cls}" points="${linePoints.join(' ')}" fill="none"/>` : ''}
  ${linePoints.map((p) => html`<circle class="line-point" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="4"/>`)}
  ${
    c.reference
      ? html`<line class="${c.reference.cls}" x1="${plot.left}" x2="${width - plot.right}" y1="${yOf(c.reference.value)}" y2="${yOf(c.reference.value)}"/>
  <text class="reference-label" x="${width - plot.right + 6}" y="${yOf(c.reference.value) + 4}">${c.reference.mark}</text>`
      : ''
  }
  ${c.categories.map((label, i) => html`<text class="tick" x="${round(xOf(i) + band / 2)}" y="${height - plot.bottom + 20}" text-anchor="middle">${label}</text>`)}
  <g class="legend">
    ${legend.map((item, i) => {
      const x = round(legendX[i]);
      return html`${
        item.kind === 'bar'
          ? html`<rect class="${item.cls}" x="${x}" y="${legendY - 11}" width="14" height="14"/>`
          : html`<line class="${item.cls}" x1="${x}" x2="${x + 20}" y1="${legendY - 4}" y2="${legendY - 4}"/>`
      }<text x="${x + 26}" y="${legendY}">${item.label}</text>`;
    })}
  </g>
</svg>`;
}
