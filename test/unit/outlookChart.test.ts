import { niceStep, outlookChart } from '../../api/pages/outlookChart';
import type { OutlookYear } from '../../domain/outlook';

const mio = (n: number) => n * 100_000_000;
const year = (y: number, free: number, paid = 0, returned = 0): OutlookYear => ({
  year: y,
  outcomePaymentsOre: mio(paid),
  grantsOre: 0,
  savingsReturnedOre: mio(returned),
  freeAtYearEndOre: mio(free),
});
const attrs = (svg: string, element: string, name: string) => [...svg.matchAll(new RegExp(`<${element} [^>]*${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('the outlook chart', () => {
  const years = [year(2025, 40), year(2026, 36, 5, 1), year(2027, 16, 20), year(2028, -4, 20), year(2029, -3, 0, 1)];

  it('is an image named by its title and described by its description, which says when the fund runs dry', () => {
    const svg = outlookChart('da', { years, runsDryIn: 2028 }).text;
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="outlook-chart-title" aria-describedby="outlook-chart-desc"/);
    expect(svg).toContain('<title id="outlook-chart-title">10-årsprognose: fondens midler ved årets udgang</title>');
    expect(svg).toContain('Fonden løber tør i 2028.');
    expect(svg).toContain('>Løber tør 2028</text>');
    expect(outlookChart('en', { years: years.slice(0, 3), runsDryIn: null }).text).toContain('The fund lasts the whole period.');
  });

  it('draws a point for each year end, and bars for payments out and returns in', () => {
    const svg = outlookChart('da', { years, runsDryIn: 2028 }).text;
    expect(attrs(svg, 'circle', 'cx')).toHaveLength(5);
    expect(attrs(svg, 'rect class="bar-out"', 'height').slice(0, 5).map(Number)).toEqual([0, expect.any(Number), expect.any(Number), expect.any(Number), 0]);
    const [, pay5, pay20] = attrs(svg, 'rect class="bar-out"', 'height').map(Number);
    expect(pay20 / pay5).toBeCloseTo(4, 1);
    // The year ends lie on one scale: 40 million high above zero, −4 million a little below it.
    const cy = attrs(svg, 'circle', 'cy').map(Number);
    const zero = Number(/<line class="zero-line" [^>]*y1="([\d.]+)"/.exec(svg)![1]);
    expect(cy[0]).toBeLessThan(zero);
    expect(cy[3]).toBeGreaterThan(zero);
    expect((zero - cy[0]) / (cy[3] - zero)).toBeCloseTo(10, 0);
  });

  it('labels the axis in round millions, in the reader’s notation', () => {
    expect(niceStep(44_000_000)).toBe(10_000_000);
    expect(niceStep(3_000_000)).toBe(1_000_000);
    expect(niceStep(0)).toBe(1_000_000);
    const ticks = (lang: 'da' | 'en') =>
      [...outlookChart(lang, { years: [year(2025, 2.5)], runsDryIn: null }).text.matchAll(/<text class="tick" [^>]*text-anchor="end">([^<]*)</g)].map((m) => m[1]);
    expect(ticks('da')).toEqual(['0', '0,5', '1', '1,5', '2', '2,5']);
    expect(ticks('en')).toEqual(['0', '0.5', '1', '1.5', '2', '2.5']);
  });

  it('keeps to the strict content policy: no style attribute, no script', () => {
    const svg = outlookChart('en', { years, runsDryIn: 2028 }).text;
    expect(svg).not.toMatch(/style=|<script|on\w+=/);
  });
});
