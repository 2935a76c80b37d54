import { CancellationScope, CancelledFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const proxied = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Runs an activity to its end even when the scope around it is cancelled (a
 * withdrawal): no write or notification is cut off mid-flight, and the server is
 * never asked to cancel an activity it may already have finished. The cancellation
 * then goes on at once, so the stage stops right after the step.
 */
export async function uninterrupted<T>(step: () => Promise<T>): Promise<T> {
  const cancelled = () => CancellationScope.current().consideredCancelled;
  if (cancelled()) throw new CancelledFailure('cancelled before the step began');
  const result = await CancellationScope.nonCancellable(step);
  if (cancelled()) throw new CancelledFailure('cancelled while a step was under way; the step was finished');
  return result;
}

function eachUninterrupted<A extends object>(proxy: A): A {
  return new Proxy(proxy, {
    get: (target, name: string) => {
      const activity = target[name as keyof A] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => uninterrupted(() => activity(...args));
    },
  });
}

/** One proxy, so every stage calls its activities with the same timeouts and retries, each run to its end. */
export const acts = eachUninterrupted(proxied);

/**
 * Short database writes that people can repeat as often as they like (a revision, a
 * task changing hands) run as local activities: one marker event in the history each,
 * instead of an activity's three and a workflow task's three more.
 */
export const localActs = eachUninterrupted(
  proxyLocalActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
  }),
);
