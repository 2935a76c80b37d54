import { formatDkk, formatDkkDanish, parseDkk, wholeKroner } from '../../domain/money';

describe('DKK ↔ øre', () => {
  it.each([
    ['1234567.89', 123456789],
    [1234567.89, 123456789],
    ['23000000', 2300000000],
    [0.1, 10],
    ['0.07', 7],
    [40000000, 4000000000],
    ['90071992547409.91', 9007199254740991],
    ['-12.5', -1250],
  ])('parses %p exactly as %p øre', (input, ore) => {
    expect(parseDkk(input)).toBe(ore);
  });

  it.each(['1.234', '90071992547409.92', 0.001, '1e6', 1e21, 'abc', '', '12,50', NaN, Infinity, '1.'])('rejects %p', (input) => {
    expect(parseDkk(input)).toBeUndefined();
  });

  it('never loses an øre in a round trip, where floats would', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004: the fund must not see that.
    for (const ore of [1, 10, 29, 30, 99, 100, 123456789, 4000000000, 9007199254740991]) {
      expect(parseDkk(formatDkk(ore))).toBe(ore);
    }
  });

  it('formats for Danish readers', () => {
    expect(formatDkkDanish(123456789)).toBe('1.234.567,89 kr.');
    expect(formatDkkDanish(5)).toBe('0,05 kr.');
    expect(formatDkkDanish(-1234500)).toBe('-12.345,00 kr.');
    expect(formatDkkDanish(4000000000)).toBe('40.000.000,00 kr.');
  });

  it('refuses fractions of an øre', () => {
    expect(() => formatDkk(1.5)).toThrow(/whole number of øre/);
    expect(wholeKroner(2300000099)).toBe(23000000);
  });
});
