import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { LockNotTaken } from '../store/serialised';

export type Dependency = 'database' | 'temporal' | 'workers' | 'identityProvider';

/** How long a client should wait before trying again while a dependency is down. */
export const retryAfterSeconds = 5;
/** Each call to the database or Temporal is given this long, so an answer comes within 3 s. */
export const dependencyTimeoutMs = 2000;
/**
 * The API's database calls, once sent, are given this long: a database that holds a call
 * without answering is then an outage (503). Longer than `dependencyTimeoutMs`, because
 * some reads on the embedded database legitimately take a second on a busy machine (a
 * person's whole part of the access log), and a 503 for a slow read would be a lie. The
 * driver tries a read that timed out once more, so a read meets the outage after twice this.
 */
export const databaseCallLimitMs = 3_000;

/** gRPC status codes (a fixed part of the protocol). */
const grpcStatus = { DEADLINE_EXCEEDED: 4, UNAVAILABLE: 14 } as const;
/**
 * Temporal's answers that no waiting cures: a request it cannot take (INVALID_ARGUMENT,
 * ALREADY_EXISTS, OUT_OF_RANGE, UNIMPLEMENTED: search attributes never registered, say)
 * or a caller it does not let in (PERMISSION_DENIED, UNAUTHENTICATED: an expired API
 * key). Not FAILED_PRECONDITION: a workflow whose task keeps failing (a payload key a
 * process lacks) or a namespace failing over answers so, and that passes. They are bugs or configuration to
 * fix, so a 500 on the log, not a 503 telling everyone to try again in five seconds.
 */
const grpcNotOutage = new Set([3, 6, 7, 11, 12, 16]);
const mongoOutage = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed|PoolCleared)Error$/;

/** A socket's failure to reach its peer, as Node names it. */
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether verifying a token failed because the issuer's key set could not be had (its
 * server unreachable, slow, or answering anything but a key set), not because of the token.
 * jose throws its generic error only when fetching the key set.
 */
export function keySetUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' || code === 'ERR_JWKS_INVALID' || peerUnreachable(err);
}

/** Whether a request over HTTP failed because its server could not be reached at all. */
export function peerUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && unreachable.has(code);
}

/** Which dependency an error says is down; undefined for any other error. */
export function outageOf(err: unknown): Dependency | undefined {
  if (!(err instanceof Error)) return undefined;
  // A lock not had in time was most likely left by a write the database failed: ask again once it has passed.
  if (mongoOutage.test(err.name) || /buffering timed out/i.test(err.message) || err instanceof LockNotTaken) return 'database';
  const code = (err as { code?: number }).code ?? (err.cause as { code?: number } | undefined)?.code;
  // A call that ran out of its deadline found Temporal up but no worker to answer.
  if (code === grpcStatus.DEADLINE_EXCEEDED) return 'workers';
  // An Update's start cut off by that deadline reaches us as CANCELLED, wrapped by the SDK
  // (seen in test/faults with a worker killed: it was answered 500).
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'workers';
  if (typeof code === 'number' && grpcNotOutage.has(code)) return undefined;
  if (err instanceof ServiceError || code === grpcStatus.UNAVAILABLE) return 'temporal';
  return undefined;
}
