import { CancellationScope, CancelledFailure, TemporalFailure, currentUpdateInfo, isCancellation, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Activities that read many cases or write a whole document: they take seconds under load, so they run as the server's activities. */
type Long = 'generateDecisionPaper' | 'draftAnnualReport';
/** Every other activity is a short database write or read a step makes. */
type Short = Omit<Activities, Long>;

const remote = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * A short step runs first as a local activity: one marker event in the history,
 * and no round trip through the server, instead of an activity's three events and a
 * workflow task's three more. Its retries in the worker are few (about seven seconds
 * of backoff), since a workflow task is held, and heartbeats into the history, while
 * they last; if the database has not answered by then, the same step, under the same
 * idempotency key, goes on as the server's activity, which retries as long as it
 * takes without growing the history.
 */
const local = proxyLocalActivities<Short>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 4 },
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

type Step = (...args: unknown[]) => Promise<unknown>;

function each<A extends object>(proxy: A, run: (name: string, args: unknown[]) => Promise<unknown>): A {
  return new Proxy(proxy, {
    get:
      (_target, name: string) =>
      (...args: unknown[]) =>
        uninterrupted(() => run(name, args)),
  });
}

/** The end of the last short step begun: the next one starts after it. */
let lastStep: Promise<unknown> = Promise.resolve();

/**
 * One short step at a time in a workflow, whoever asks (the stage, an Update's
 * handler, a deadline). Local activities that overlap resolve in the order they
 * finish when they run, but in the order of their markers when a worker replays the
 * history, so an overlap can replay as a different sequence of commands (a
 * nondeterminism error; seen with a completion's write and the next stage's booking).
 * In turn, the order is the order the workflow code asked in, both times.
 */
function inTurn<T>(step: () => Promise<T>): Promise<T> {
  const run = lastStep.then(step, step);
  lastStep = run.catch(() => undefined);
  return run;
}

/**
 * Whether a step is asked for by an Update's handler. An Update is accepted only when
 * the workflow task running its handler completes, and a local activity runs before
 * that: had a worker died then, and the Update been lost with it, the write would stay
 * in the database with nothing in the history behind it (the fault suite saw a vote on
 * record that the workflow had cancelled). An Update's own steps therefore run as the
 * server's activities, which that same completion schedules, so they run only for an
 * accepted Update. Where the handler runs is part of the history, so this replays.
 */
const inUpdateHandler = (): boolean => currentUpdateInfo() !== undefined;

/**
 * The short steps, each local first, in turn, and run to its end (see `local`, `inTurn`
 * and `uninterrupted`); an Update's own steps as the server's (see `inUpdateHandler`).
 */
export const acts: Short = each(local, (name, args) => {
  if (inUpdateHandler()) return onServer(name, args);
  return inTurn(async () => {
    try {
      return await (local[name as keyof Short] as Step)(...args);
    } catch (err) {
      // A local activity's last failure arrives as its own (application or timeout) failure, not wrapped as an activity's.
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      return (remote[name as keyof Short] as Step)(...args);
    }
  });
});

/** A short step as the server's activity, in turn. */
const onServer = (name: string, args: unknown[]) => inTurn(() => (remote[name as keyof Short] as Step)(...args));

/**
 * The short steps as the server's activities, for the workflow's own code where it acts on an
 * Update just accepted: scheduled by the workflow task that accepts it, such a step runs only
 * once the Update is on record, and the local steps after it wait their turn behind it.
 */
export const afterUpdate: Short = each(remote, onServer);

/** The long steps, as the server's activities, each run to its end. */
export const longActs: Pick<Activities, Long> = each(remote, (name, args) => (remote[name as Long] as Step)(...args));
