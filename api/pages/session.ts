import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../../config';
import type { Store } from '../../store';
import type { Actor, Role } from '../../domain/people';
import { cookieValue } from './cookies';

/**
 * The pages' session: a cookie holding who is signed in and the session's CSRF
 * token, signed with HMAC-SHA256. Nothing is kept on the server; the user record
 * is read on every request, so a deactivated user is out at once.
 */
export interface Session {
  userId?: string;
  csrf: string;
  exp: number; // epoch seconds
}

export interface SignedInUser {
  actor: Actor;
  name: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    pageSession?: Session;
    pageUser?: SignedInUser;
  }
}

export const sessionCookie = 'sif_session';
const lifetimeSeconds = 12 * 3600;

/** A key of its own for the session, derived from a configured secret: never the secret itself. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`sif-pages:${purpose}`).digest();
}

/** The session cookie's key, from AUTH_JWT_SECRET or else the OIDC client's secret; undefined when neither is set. */
export function sessionKey(config: Config): Buffer | undefined {
  const secret = config.auth.jwtSecret ?? config.oidc?.clientSecret;
  return secret ? deriveKey(secret, 'session') : undefined;
}

export function sealValue(key: Buffer, value: unknown): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export function unsealValue<T>(key: Buffer, sealed: string | undefined): T | undefined {
  if (!sealed) return undefined;
  const dot = sealed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const body = sealed.slice(0, dot);
  const given = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', key).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The request's session, if its cookie is sealed under the key and has not expired. */
export function readSession(key: Buffer, req: Request): Session | undefined {
  const session = unsealValue<Session>(key, cookieValue(req, sessionCookie));
  return session && typeof session.csrf === 'string' && session.exp > Date.now() / 1000 ? session : undefined;
}

/** Who a session names, read from the user record on every request: a deactivated user is out at once. */
export async function activeUser(store: Store, userId: string): Promise<SignedInUser | undefined> {
  const user = await store.users.findById(userId).lean();
  if (!user?.active) return undefined;
  return { name: user.name, actor: { userId: user._id, roles: user.roles as Role[], ...(user.department ? { department: user.department } : {}) } };
}

export function sessions(opts: { key: Buffer; secure: boolean; store: Store }) {
  const cookieOptions = { httpOnly: true, secure: opts.secure, sameSite: 'lax' as const, path: '/' };

  function write(res: Response, session: Session) {
    res.cookie(sessionCookie, sealValue(opts.key, session), { ...cookieOptions, maxAge: lifetimeSeconds * 1000 });
  }

  function fresh(userId?: string): Session {
    return { ...(userId ? { userId } : {}), csrf: randomBytes(24).toString('base64url'), exp: Math.floor(Date.now() / 1000) + lifetimeSeconds };
  }

  return {
    /** Reads the session (or starts an anonymous one, for the CSRF token) and the signed-in user. */
    async middleware(req: Request, res: Response, next: NextFunction) {
      let session = readSession(opts.key, req);
      if (!session) {
        session = fresh();
        write(res, session);
      }
      req.pageSession = session;
      if (session.userId) req.pageUser = await activeUser(opts.store, session.userId);
      next();
    },

    /** A new session for the user, with a new CSRF token: nothing carries over from before sign-in. */
    signIn(req: Request, res: Response, userId: string) {
      req.pageSession = fresh(userId);
      write(res, req.pageSession);
    },

    signOut(req: Request, res: Response) {
      req.pageSession = fresh();
      req.pageUser = undefined;
      write(res, req.pageSession);
    },
  };
}
export type Sessions = ReturnType<typeof sessions>;
