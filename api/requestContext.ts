import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Read } from '../store/accessLog';

/** A read put on the access log, as the answer it belongs to is kept: given again, it is a read again. */
export type KeptRead = Omit<Read, 'userId'>;

/** What one request carries down to the calls it makes, without threading it through every signature. */
interface RequestContext {
  /** The client's Idempotency-Key (API header or the form's hidden field), with who sent it. */
  idempotency?: { userId: string; key: string };
  /** The reads this request put on the access log, kept with its answer when the answer is kept. */
  reads?: KeptRead[];
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runInRequestContext = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn);

/** A digest of this request's key, with who sent it, for `scope` (hex): the same key from the same person gives the same digest. */
export function digestForRequest(scope: string): string | undefined {
  const idem = storage.getStore()?.idempotency;
  if (!idem) return undefined;
  return createHash('sha256').update(`${scope}\n${idem.userId}\n${idem.key}`).digest('hex');
}

/**
 * The Temporal Update ID for this request: the same key from the same person gives
 * the same ID, so Temporal answers a retry with the first attempt's outcome instead of
 * running the Update again.
 */
export const updateIdForRequest = (workflowId: string): string | undefined => digestForRequest(workflowId)?.slice(0, 40);

/**
 * Runs one of several Updates a request sends under an Update ID of its own (`step`
 * names it), so two Updates of one request to the same workflow are not taken for
 * one another, and a retry of the request still finds each.
 */
export function forStep<T>(step: string, fn: () => T): T {
  const ctx = storage.getStore();
  const idem = ctx?.idempotency;
  return idem ? storage.run({ ...ctx, idempotency: { ...idem, key: `${idem.key}\n${step}` } }, fn) : fn();
}

/** Notes a read this request recorded, for an answer kept under its Idempotency-Key. */
export function noteRead(read: KeptRead): void {
  storage.getStore()?.reads?.push(read);
}
