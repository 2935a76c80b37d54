import { dkkText, num } from '../../api/pages/forms';
import { percentToBasisPoints } from '../../api/pages/taskForms/agreement';
import { dkk } from '../../domain/proposal';

/** Amounts as people type them into the pages, to whole øre through the same codec as the API. */
describe('typed amounts', () => {
  const ore = (lang: 'da' | 'en', text: string) => dkk.parse(dkkText(lang, text));

  it.each([
    ['da', '23.000.000,50', 2_300_000_050],
    ['da', '23.000.000', 2_300_000_000],
    ['da', '1.500', 150_000], // a Danish dot groups thousands
    ['da', '12,5', 1_250],
    ['da', '700 000 kr.', 70_000_000],
    ['da', '23000000.50', 2_300_000_050], // the API's own notation is understood too
    ['en', '23,000,000.50', 2_300_000_050],
    ['en', 'DKK 1,500', 150_000],
    ['en', '0.05', 5],
  ] as const)('%s "%s" is %p øre', (lang, text, expected) => {
    expect(ore(lang, text)).toBe(expected);
  });

  it('leaves what is not an amount for the codec to refuse, never a rounded guess', () => {
    expect(() => ore('da', '12,345')).toThrow();
    expect(() => ore('da', 'abc')).toThrow();
    expect(() => ore('en', '1,50')).toThrow();
    // The currency before or after the amount, not inside it.
    expect(() => ore('da', '10kr50')).toThrow();
    expect(() => ore('en', 'DKK1DKK0')).toThrow();
  });

  it('reads percentages as whole basis points, and numbers with either decimal mark', () => {
    expect(percentToBasisPoints('12,5')).toBe(1250);
    expect(percentToBasisPoints('30 %')).toBe(3000);
    expect(percentToBasisPoints('100')).toBe(10000);
    expect(percentToBasisPoints('0')).toBeUndefined();
    expect(percentToBasisPoints('12,345')).toBeUndefined();
    expect(percentToBasisPoints('101')).toBeUndefined();
    expect(num('da', '7,5')).toBe(7.5);
    expect(num('en', '7,5')).toBe(7.5);
    expect(num('da', '')).toBeUndefined();
    expect(num('da', 'syv')).toBe('syv');
  });

  it('reads a number grouped by thousands as the language groups it, never as a decimal', () => {
    expect(num('da', '1.200')).toBe(1200);
    expect(num('da', '1.200.000,5')).toBe(1_200_000.5);
    expect(num('da', '12.5')).toBe(12.5);
    expect(num('en', '1,200')).toBe(1200);
    expect(num('en', '1,200,000.5')).toBe(1_200_000.5);
    expect(num('en', '1.200')).toBe(1.2);
    expect(num('da', '-1.200')).toBe(-1200);
  });
});
