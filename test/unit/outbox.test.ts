import { afterFailure } from '../../domain/outbox';
import { parseDuration as d } from '../../domain/durations';

/** When a failed notification is tried again, and when the outbox gives up on it. */
describe('the outbox backoff', () => {
  const settings = { firstRetry: d('1 minute'), maxRetryInterval: d('6 hours'), giveUpAfter: d('3 days') };
  const since = new Date('2026-03-01T08:00:00Z');
  const wait = (failures: number, now = since) => {
    const next = afterFailure(settings, failures, since, now);
    return next.status === 'pending' ? next.nextAttemptAt.getTime() - now.getTime() : next.status;
  };

  it('doubles from the first retry up to the maximum interval', () => {
    expect([1, 2, 3, 4].map((f) => wait(f))).toEqual([d('1 minute'), d('2 minutes'), d('4 minutes'), d('8 minutes')]);
    expect(wait(9)).toBe(d('256 minutes'));
    expect(wait(10)).toBe(d('6 hours'));
    expect(wait(1000)).toBe(d('6 hours'));
  });

  it('gives up when the next attempt would lie beyond the limit, counted from the notification or the last manual retry', () => {
    expect(wait(20, new Date(since.getTime() + d('2 days')))).toBe(d('6 hours'));
    expect(wait(20, new Date(since.getTime() + d('3 days') - d('5 hours')))).toBe('failed');
    expect(afterFailure(settings, 1, since, new Date(since.getTime() + d('3 days')))).toEqual({ status: 'failed' });
  });
});
