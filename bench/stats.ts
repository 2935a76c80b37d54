/**
 * The arithmetic of the benchmark's table: percentiles of latency samples, the ratio of
 * a measure to its floor, and whether a target is met. Pure, so a unit test checks it.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest rank: the smallest sample with at least p % of the samples at or below it (never an interpolated value no run had). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is not in (0, 100]`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

export function summarize(samples: readonly number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}

/**
 * What a measure must reach: its p50 at most a multiple of its floor's p50, a percentile at
 * most some milliseconds, or a count (events, proposals a minute) at most or at least a value.
 */
export type Target =
  | { kind: 'ratio'; max: number }
  | { kind: 'latency'; at: 'p50' | 'p99'; maxMs: number }
  | { kind: 'atMost'; max: number; unit: string }
  | { kind: 'atLeast'; min: number; unit: string };

/** One line of the table: latencies in ms, or a single value (throughput, a count) with its unit. */
export interface Row {
  measure: string;
  summary?: Summary;
  floor?: Summary;
  value?: { amount: number; unit: string };
  /** None for a measure that failed before it could say what it aims at. */
  target?: Target;
  /** Why there is no figure (a measure that could not run). */
  missing?: string;
}

export const ratioOf = (row: Row) => (row.summary && row.floor ? row.summary.p50 / row.floor.p50 : undefined);

/** Met, unmet, or undefined when the row has no figure to judge. */
export function met(row: Row): boolean | undefined {
  const { target } = row;
  if (!target || row.missing) return undefined;
  switch (target.kind) {
    case 'ratio': {
      const ratio = ratioOf(row);
      return ratio === undefined ? undefined : ratio <= target.max;
    }
    case 'latency':
      return row.summary ? row.summary[target.at] <= target.maxMs : undefined;
    case 'atMost':
      return row.value ? row.value.amount <= target.max : undefined;
    case 'atLeast':
      return row.value ? row.value.amount >= target.min : undefined;
  }
}

const ms = (v: number | undefined) => (v === undefined ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));

function targetText(target: Target | undefined): string {
  if (!target) return '–';
  switch (target.kind) {
    case 'ratio':
      return `≤ ${target.max}× floor p50`;
    case 'latency':
      return `${target.at} ≤ ${target.maxMs} ms`;
    case 'atMost':
      return `≤ ${target.max.toLocaleString('en')} ${target.unit}`;
    case 'atLeast':
      return `≥ ${target.min.toLocaleString('en')} ${target.unit}`;
  }
}

/** The table as markdown: latencies in ms; a throughput or count in the p50 column with its unit. */
export function markdownTable(rows: readonly Row[]): string {
  const header = ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'floor p50 ms', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    const verdict = met(row);
    const p50 = row.value ? `${row.value.amount.toLocaleString('en', { maximumFractionDigits: 1 })} ${row.value.unit}` : ms(row.summary?.p50);
    return [
      row.measure,
      row.summary ? String(row.summary.n) : '–',
      p50,
      ms(row.summary?.p95),
      ms(row.summary?.p99),
      ms(row.floor?.p50),
      ratio === undefined ? '–' : `${ratio.toFixed(2)}×`,
      targetText(row.target),
      verdict === undefined ? `not measured${row.missing ? `: ${row.missing}` : ''}` : verdict ? 'met' : '**UNMET**',
    ];
  });
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
