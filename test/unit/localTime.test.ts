import { fromLocalInput, toLocalInput } from '../../domain/localTime';

/** A tender's deadline typed into a datetime-local field means Copenhagen's clock, summer or winter. */
describe('Copenhagen wall-clock time in forms', () => {
  it.each([
    ['2027-01-15T12:00', '2027-01-15T11:00:00.000Z'], // winter time, UTC+1
    ['2027-07-01T12:00', '2027-07-01T10:00:00.000Z'], // summer time, UTC+2
    ['2027-03-28T03:30', '2027-03-28T01:30:00.000Z'], // the morning the clocks go forward
    ['2027-10-31T01:30', '2027-10-30T23:30:00.000Z'], // the night they go back
  ])('reads %s as %s', (typed, instant) => {
    expect(fromLocalInput(typed)).toBe(instant);
  });

  it('shows an instant as the field holds it, and keeps what is not a local time for zod to name', () => {
    expect(toLocalInput('2027-07-01T10:00:00.000Z')).toBe('2027-07-01T12:00');
    expect(toLocalInput('2027-01-15T11:00:00Z')).toBe('2027-01-15T12:00');
    expect(toLocalInput(undefined)).toBe('');
    expect(fromLocalInput('i morgen kl. 12')).toBe('i morgen kl. 12');
    // A day or hour that does not exist is named by zod, not moved to one that does.
    for (const typed of ['2027-02-30T10:00', '2026-11-31T10:00', '2027-01-15T24:30', '2027-01-15T12:60']) expect(fromLocalInput(typed)).toBe(typed);
  });
});
