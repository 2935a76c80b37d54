import { addMonths, copenhagenDay } from '../../domain/dates';

describe('adding calendar months', () => {
  it.each([
    ['2027-04-01', 12, '2028-04-01'],
    ['2027-04-15', 0, '2027-04-15'],
    ['2027-04-15', 240, '2047-04-15'],
    ['2027-11-15', 3, '2028-02-15'],
  ])('%s + %p months is %s, the same day', (from, months, to) => {
    expect(addMonths(from, months)).toBe(`${to}T00:00:00.000Z`);
  });

  it.each([
    ['2027-01-31', 1, '2027-02-28'], // not 3 March
    ['2027-01-29', 1, '2027-02-28'],
    ['2027-03-31', 1, '2027-04-30'],
    ['2027-05-31', 1, '2027-06-30'],
    ['2027-08-31', 1, '2027-09-30'],
    ['2027-10-31', 1, '2027-11-30'],
    ['2026-12-31', 2, '2027-02-28'], // across the year's end
    ['2027-11-30', 3, '2028-02-29'],
    ['2027-01-31', 2, '2027-03-31'], // from the start date, not month by month
    ['2027-01-31', 12, '2028-01-31'],
    ['2027-01-30', 13, '2028-02-29'],
  ])('%s + %p months is clamped to %s, the last day of the month', (from, months, to) => {
    expect(addMonths(from, months)).toBe(`${to}T00:00:00.000Z`);
  });

  it.each([
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
    ['2028-02-29', 1, '2028-03-29'],
    ['2099-12-31', 2, '2100-02-28'], // a century is no leap year
    ['2399-12-31', 2, '2400-02-29'], // unless it divides by 400
  ])('in leap years: %s + %p months is %s', (from, months, to) => {
    expect(addMonths(from, months)).toBe(`${to}T00:00:00.000Z`);
  });

  it.each([
    ['2027-03-31', -1, '2027-02-28'],
    ['2028-03-31', -1, '2028-02-29'],
    ['2027-01-15', -1, '2026-12-15'],
  ])('counts back: %s %p months is %s', (from, months, to) => {
    expect(addMonths(from, months)).toBe(`${to}T00:00:00.000Z`);
  });

  it.each([
    ['2027-01-31T00:00:00Z', 1],
    ['31-01-2027', 1],
    ['2027-01-31', 1.5],
  ])('refuses %p + %p', (from, months) => {
    expect(() => addMonths(from, months)).toThrow(RangeError);
  });

  it.each([
    ['2025-12-31T23:20:00Z', '2026-01-01'], // half past midnight on New Year's Day in Copenhagen (winter time)
    ['2026-06-30T22:30:00Z', '2026-07-01'], // summer time
    ['2026-03-01T12:00:00Z', '2026-03-01'],
  ])("takes %s for %s in Copenhagen, the municipality's day", (at, day) => {
    expect(copenhagenDay(new Date(at))).toBe(day);
  });
});
