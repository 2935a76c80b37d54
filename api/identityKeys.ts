import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { dependencyTimeoutMs, keySetUnavailable } from './dependencies';

/**
 * An identity provider's signing keys, fetched again every ten minutes (and at once for a
 * key not seen yet). While the provider cannot be reached, the keys last fetched still
 * verify: a token it signed before its maintenance window stays good through it, where
 * every request had waited for the fetch and been refused 503 once the keys were ten
 * minutes old. A key the provider has withdrawn is refused from the next fetch that works,
 * and keys not confirmed by the provider for a day are not used alone: an outage of the
 * provider cannot keep a withdrawn key good for longer.
 */
export function identityKeys(
  jwksUrl: string,
  /** How long fetched keys are used before they are fetched again; how long the last ones are used alone after the provider did not answer, and at most since they were confirmed. */
  { freshForMs = 10 * 60_000, askAgainAfterMs = 30_000, lastKeysForMs = 24 * 3_600_000 } = {},
): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: dependencyTimeoutMs, cacheMaxAge: freshForMs });
  let downUntil = 0;
  /** When the provider last answered (or its keys were fresh): the last keys stand in for it only so long after. */
  let confirmedAt = 0;
  /** The key from the keys last fetched; undefined for a key they do not hold (a new one the provider may have rotated to). */
  const lastFetchedKey: (...args: Parameters<JWTVerifyGetKey>) => Promise<Awaited<ReturnType<JWTVerifyGetKey>> | undefined> = async (header, token) => {
    const lastFetched = remote.jwks();
    if (!lastFetched || Date.now() - confirmedAt > lastKeysForMs) return undefined;
    return createLocalJWKSet(lastFetched)(header, token).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY') return undefined;
      throw err;
    });
  };
  return async (header, token) => {
    const known = Date.now() < downUntil ? await lastFetchedKey(header, token) : undefined;
    if (known) return known;
    try {
      const key = await remote(header, token);
      confirmedAt = Date.now();
      return key;
    } catch (err) {
      if (!keySetUnavailable(err)) {
        // Answered, though not with this token's key: the keys it has are confirmed all the same.
        if (remote.fresh) confirmedAt = Date.now();
        throw err;
      }
      downUntil = Date.now() + askAgainAfterMs;
      // A key the last fetch did not hold is not had until the provider answers: an outage, not a bad token.
      const last = await lastFetchedKey(header, token);
      if (!last) throw err;
      return last;
    }
  };
}
