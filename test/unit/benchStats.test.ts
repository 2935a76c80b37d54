import { markdownTable, met, percentile, ratioOf, summarize, type Row } from '../../bench/stats';

describe("the benchmark's statistics", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted

  it('takes percentiles by nearest rank, from unsorted samples', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    // Of few samples, p99 is the slowest one, never a value between two runs.
    expect(percentile([10, 30, 20], 99)).toBe(30);
    expect(percentile([10, 30, 20], 50)).toBe(20);
    expect(percentile([7], 50)).toBe(7);
  });

  it('refuses what has no percentile', () => {
    expect(() => percentile([], 50)).toThrow('no samples');
    expect(() => percentile([1], 0)).toThrow();
    expect(() => percentile([1], 101)).toThrow();
  });

  it('judges a ratio of medians against its floor, and a latency or a rate against its bound', () => {
    const row = (subject: number[], floor: number[], max: number): Row => ({ measure: 'm', summary: summarize(subject), floor: summarize(floor), target: { kind: 'ratio', max } });
    expect(ratioOf(row([26, 100, 26], [20, 20, 1], 1.3))).toBeCloseTo(1.3);
    expect(met(row([26, 100, 26], [20, 20, 1], 1.3))).toBe(true);
    expect(met(row([27, 27, 27], [20, 20, 20], 1.3))).toBe(false);
    expect(met({ measure: 'm', summary: summarize(hundred), target: { kind: 'latency', at: 'p99', maxMs: 98 } })).toBe(false);
    expect(met({ measure: 'm', summary: summarize(hundred), target: { kind: 'latency', at: 'p50', maxMs: 50 } })).toBe(true);
    expect(met({ measure: 'm', value: { amount: 59.9, unit: '/min' }, target: { kind: 'atLeast', min: 60, unit: '/min' } })).toBe(false);
    expect(met({ measure: 'm', value: { amount: 700, unit: 'events' }, target: { kind: 'atMost', max: 700, unit: 'events' } })).toBe(true);
    expect(met({ measure: 'm', missing: 'failed' })).toBeUndefined();
  });

  it('prints every row with its verdict, an unmet target so that it shows', () => {
    const table = markdownTable([
      { measure: 'fast', summary: summarize([1, 2, 3]), floor: summarize([1, 1, 1]), target: { kind: 'ratio', max: 3 } },
      { measure: 'slow', summary: summarize([120, 130, 140]), target: { kind: 'latency', at: 'p99', maxMs: 100 } },
      { measure: 'broken', missing: 'failed (no API)' },
    ]).split('\n');
    expect(table[0]).toBe('| measure | n | p50 ms | p95 ms | p99 ms | floor p50 ms | ratio | target | met |');
    expect(table[2]).toBe('| fast | 3 | 2.0 | 3.0 | 3.0 | 1.0 | 2.00× | ≤ 3× floor p50 | met |');
    expect(table[3]).toBe('| slow | 3 | 130 | 140 | 140 | – | – | p99 ≤ 100 ms | **UNMET** |');
    expect(table[4]).toBe('| broken | – | – | – | – | – | – | – | not measured: failed (no API) |');
  });
});
