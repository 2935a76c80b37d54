import { temporalMissesTooMany } from '../../worker/reconciler';

/**
 * When the reconciler takes Temporal for the wrong one and stops no case: a stop cannot be
 * undone, and a worker on another namespace (or a Temporal that lost its data) misses every
 * case at once, however few the fund has.
 */
describe('the reconciler guard against the wrong Temporal', () => {
  it('stops none when every open case is missing, however few', () => {
    expect(temporalMissesTooMany(1, 1)).toBe(true);
    expect(temporalMissesTooMany(2, 2)).toBe(true);
    expect(temporalMissesTooMany(3, 3)).toBe(true);
  });

  it('stops none when more than three and more than half are missing', () => {
    expect(temporalMissesTooMany(4, 7)).toBe(true);
    expect(temporalMissesTooMany(60, 100)).toBe(true);
  });

  it('goes on when a few are missing, or fewer than half', () => {
    expect(temporalMissesTooMany(0, 0)).toBe(false);
    expect(temporalMissesTooMany(0, 5)).toBe(false);
    expect(temporalMissesTooMany(3, 4)).toBe(false);
    expect(temporalMissesTooMany(4, 8)).toBe(false);
    expect(temporalMissesTooMany(40, 100)).toBe(false);
  });
});
