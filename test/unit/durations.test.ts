import { durationText, parseDuration } from '../../domain/durations';

describe('durations in configuration', () => {
  it.each([
    ['14 days', 14 * 86_400_000],
    ['90 seconds', 90_000],
    ['2 weeks', 14 * 86_400_000],
    ['1.5 hours', 5_400_000],
    ['10d', 10 * 86_400_000],
    ['500 ms', 500],
    [' 3 Minutes ', 180_000],
  ])('reads %p', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['14', 'days', '3 fortnights', '-1 day', '0 seconds', '1 day 2 hours'])('refuses %p with a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(/duration|longer than zero/);
  });

  it.each([
    ['30 days', '30 days'],
    ['1 day', '1 day'],
    ['2 weeks', '14 days'],
    ['90 seconds', '90 seconds'],
    ['2 minutes', '2 minutes'],
    ['36 hours', '36 hours'],
  ])('says %p as %p, in the largest whole unit', (text, said) => expect(durationText(parseDuration(text))).toBe(said));
});
