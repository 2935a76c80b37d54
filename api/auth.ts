import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { identityKeys } from './identityKeys';
import type { Config } from '../config';
import type { Store, UserDoc } from '../store';
import { hasRole, mayUseSystem, type Actor, type Role } from '../domain/people';
import { keySetUnavailable } from './dependencies';
import { forbidden, unauthorized, unavailable } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    /** The user id a verified bearer token names, before the person is read. */
    subject?: string;
    /** That person as they are now, being read: `signedIn` waits for them. */
    person?: Promise<Actor>;
  }
}

/**
 * Bearer tokens: an OIDC issuer's JWKS in production, HS256 with AUTH_JWT_SECRET
 * in local runs. The token names the user (`sub`); roles come from the user record.
 */
function bearerSubject(config: Config) {
  const { jwksUrl, jwtSecret, issuer, audience } = config.auth;
  const key: JWTVerifyGetKey | Uint8Array = jwksUrl ? identityKeys(jwksUrl) : new TextEncoder().encode(jwtSecret);
  const algorithms = jwksUrl ? undefined : ['HS256'];
  return async (req: Request): Promise<string> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized({ code: 'bearerRequired' });
    let sub: unknown;
    try {
      // A token without `exp` would never expire: a service account's, or one taken from a log, would be good for ever.
      const { payload } = await jwtVerify(match[1], key as Uint8Array, { issuer, audience, algorithms, requiredClaims: ['exp'] });
      sub = payload.sub;
    } catch (err) {
      // The issuer down is no reason to send its users to sign in again: they are asked to wait.
      if (keySetUnavailable(err)) throw unavailable('identityProvider');
      throw unauthorized({ code: 'tokenInvalid' });
    }
    // A user id is a non-empty string: an object or array here would be a query to the database, not a name.
    if (typeof sub !== 'string' || !sub) throw unauthorized({ code: 'tokenWithoutUser' });
    return sub;
  };
}

/** The person a token names, with the roles they hold now; 403 unless an active user here. */
async function activeActor(store: Store, userId: string): Promise<Actor> {
  const user = await store.users.findById(userId).lean();
  if (!user || !user.active) throw forbidden({ code: 'noActiveUser', userId });
  if (!mayUseSystem(user)) throw forbidden({ code: 'noRole', userId });
  return actorOfUser(user);
}

/**
 * The API's sign-in, first half: the token is verified and the person it names is read,
 * not yet waited for. What needs only the token's subject (the Idempotency-Key's claim)
 * runs meanwhile; `signedIn` then waits for the person, so no route runs before.
 */
export function bearerToken(config: Config, store: Store) {
  const subject = bearerSubject(config);
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.subject = await subject(req);
    req.person = activeActor(store, req.subject);
    // Waited for by signedIn (or by the idempotency claim): never an unhandled rejection meanwhile.
    req.person.catch(() => undefined);
    next();
  };
}

/** The second half: the person as they are now, or the 403 that they are not an active user. */
export async function signedIn(req: Request, _res: Response, next: NextFunction) {
  if (!req.person) throw unauthorized({ code: 'notSignedIn' });
  req.actor = await req.person;
  next();
}

/** Both halves at once, for a route outside the API's chain (the codec endpoint): the person a bearer token names, as they are now. */
export function bearerActor(config: Config, store: Store) {
  const subject = bearerSubject(config);
  return async (req: Request): Promise<Actor> => activeActor(store, await subject(req));
}

/** The person as they act now: their user record's current roles (and department). */
export function actorOfUser(user: Pick<UserDoc, '_id' | 'roles' | 'department'>): Actor {
  return { userId: user._id, roles: user.roles as Role[], ...(user.department ? { department: user.department } : {}) };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw unauthorized({ code: 'notSignedIn' });
  return req.actor;
}

/** The actor, if they hold one of the roles; otherwise a 403 that says which roles may. */
export function requireRole(req: Request, ...allowed: Role[]): Actor {
  const actor = actorOf(req);
  if (!allowed.some((r) => hasRole(actor, r))) throw forbidden({ code: 'needsRole', roles: allowed });
  return actor;
}

/** A local-run token for a seeded user (HS256). Production tokens come from the OIDC provider. */
export async function signLocalToken(secret: string, userId: string, ttl = '12h'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt().setExpirationTime(ttl).sign(new TextEncoder().encode(secret));
}
