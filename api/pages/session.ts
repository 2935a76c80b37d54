import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Store } from '../../store';
import { pageSessions, type SessionTimeouts } from '../../store/sessions';
import { mayUseSystem, type Actor } from '../../domain/people';
import { actorOfUser } from '../auth';
import { cookieValue, hostCookie } from './cookies';

/**
 * The pages' session. The cookie holds only a random id; the session itself is in the
 * database (store/sessions.ts), so signing out, deactivation and the idle and absolute
 * timeouts end it on the next request. The user record is read on every request, so
 * the roles are always the current ones.
 *
 * Before sign-in nothing is stored: the sign-in form's CSRF token is a random cookie
 * that the form repeats, which a page of another site can neither read nor set.
 */
export interface Session {
  userId?: string;
  csrf: string;
}

export interface SignedInUser {
  actor: Actor;
  name: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    pageSession?: Session;
    pageUser?: SignedInUser;
    /** The request came with a session that has ended (timed out, signed out, deactivated): a form it sends is told so. */
    sessionEnded?: true;
  }
}

const tokenPattern = /^[A-Za-z0-9_-]{32}$/;

/** A session in the database and whom it signs in: nobody once the person is deactivated or holds no role. */
async function liveSession(store: Store, kept: ReturnType<typeof pageSessions>, id: string | undefined) {
  const session = await kept.find(id);
  if (!session) return undefined;
  const user = await store.users.findById(session.userId).lean();
  const signedIn: SignedInUser | undefined = user && mayUseSystem(user) ? { name: user.name, actor: actorOfUser(user) } : undefined;
  return { session, user: signedIn };
}

const sessionCookieOn = (secure: boolean) => hostCookie('sif_session', secure);

/** Whom the request's session cookie signs in, for an endpoint outside the pages (the codec endpoint). */
export async function sessionUser(store: Store, timeouts: SessionTimeouts, secure: boolean, req: Request): Promise<SignedInUser | undefined> {
  return (await liveSession(store, pageSessions(store, timeouts), cookieValue(req, sessionCookieOn(secure))))?.user;
}

export function sessions(opts: { store: Store; timeouts: SessionTimeouts; secure: boolean }) {
  const cookieOptions = { httpOnly: true, secure: opts.secure, sameSite: 'lax' as const, path: '/' };
  const sessionCookie = sessionCookieOn(opts.secure);
  const visitorCsrfCookie = hostCookie('sif_csrf', opts.secure);
  const kept = pageSessions(opts.store, opts.timeouts);

  /** The visitor's CSRF token before sign-in: the cookie's, or a new one. */
  function visitorCsrf(req: Request, res: Response): string {
    const given = cookieValue(req, visitorCsrfCookie);
    if (given && tokenPattern.test(given)) return given;
    const csrf = randomBytes(24).toString('base64url');
    res.cookie(visitorCsrfCookie, csrf, cookieOptions);
    return csrf;
  }

  return {
    /** Reads the session and the signed-in user; a visitor gets a CSRF token for the sign-in form. */
    async middleware(req: Request, res: Response, next: NextFunction) {
      const id = cookieValue(req, sessionCookie);
      const live = await liveSession(opts.store, kept, id);
      if (live?.user) {
        req.pageSession = live.session;
        req.pageUser = live.user;
        return next();
      }
      if (live) await kept.end(id); // deactivated: the session ends, and stays ended if they are active again
      if (id !== undefined) {
        res.clearCookie(sessionCookie, cookieOptions);
        req.sessionEnded = true;
      }
      req.pageSession = { csrf: visitorCsrf(req, res) };
      next();
    },

    /** A new session for the user, with a new CSRF token: nothing carries over from before sign-in. */
    async signIn(req: Request, res: Response, userId: string) {
      await kept.end(cookieValue(req, sessionCookie));
      const { id, csrf } = await kept.start(userId);
      res.cookie(sessionCookie, id, { ...cookieOptions, maxAge: opts.timeouts.absoluteMs });
      req.pageSession = { userId, csrf };
    },

    /** Ends the session in the database: the cookie, if kept or copied, signs nobody in again. */
    async signOut(req: Request, res: Response) {
      await kept.end(cookieValue(req, sessionCookie));
      res.clearCookie(sessionCookie, cookieOptions);
      req.pageSession = undefined;
      req.pageUser = undefined;
    },
  };
}
export type Sessions = ReturnType<typeof sessions>;
