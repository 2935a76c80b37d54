import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** What one request carries down to the calls it makes, without threading it through every signature. */
interface RequestContext {
  /** The client's Idempotency-Key (API header or the form's hidden field), with who sent it. */
  idempotency?: { userId: string; key: string };
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runInRequestContext = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn);

/**
 * The Temporal Update ID for this request: the same key from the same person gives
 * the same ID, so Temporal answers a retry with the first attempt's outcome instead of
 * running the Update again.
 */
export function updateIdForRequest(workflowId: string): string | undefined {
  const idem = storage.getStore()?.idempotency;
  if (!idem) return undefined;
  return createHash('sha256').update(`${workflowId}\n${idem.userId}\n${idem.key}`).digest('hex').slice(0, 40);
}
