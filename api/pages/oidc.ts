import { describeError } from '../../domain/logText';
import { mayUseSystem } from '../../domain/people';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { custom, errors, generators, Issuer, type BaseClient } from 'openid-client';
import type { Store } from '../../store';
import { dict } from '../../i18n';
import { dependencyTimeoutMs, outageOf, peerUnreachable, retryAfterSeconds } from '../dependencies';
import { cookieValue, hostCookie } from './cookies';
import { problemPage, safeNext } from './errors';
import { html } from './html';
import { langOf } from './lang';
import type { Sessions } from './session';

/**
 * Sign-in in production: OpenID Connect authorization code flow with PKCE (S256),
 * state and nonce, against the configured issuer, OIDC_ISSUER_URL (endpoints from its
 * .well-known/openid-configuration). The protocol is openid-client's (discovery, the
 * authorization URL, the code exchange with client_secret_basic, the ID token's
 * signature, issuer, audience, expiry and nonce, the state, the response's `iss`);
 * this module keeps the pending sign-in in a short-lived signed cookie. The ID
 * token's `sub` must equal a user id, as for bearer tokens.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  exp: number;
}

/** A key of its own for the pending sign-in, derived from the client secret: never the secret itself. */
function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`sif-pages:${purpose}`).digest();
}

function sealValue(key: Buffer, value: unknown): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function unsealValue<T>(key: Buffer, sealed: string | undefined): T | undefined {
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
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Whether a sign-in stopped for want of a service, not for anything in it: the issuer
 * unreachable, slower than the API's bound, or answering with a server error, or the
 * database down. The person is asked to sign in again shortly rather than told it failed.
 */
function outageIn(err: unknown): boolean {
  if (outageOf(err) || peerUnreachable(err)) return true;
  if (err instanceof errors.RPError) return /^outgoing request timed out/.test(err.message);
  // Answered with a server error, or sent back from its sign-in saying it is in trouble (RFC 6749 §4.1.2.1).
  return err instanceof errors.OPError && ((err.response?.statusCode ?? 0) >= 500 || issuerTrouble.has(err.error ?? ''));
}
const issuerTrouble = new Set(['server_error', 'temporarily_unavailable']);

export function oidc(settings: OidcSettings, opts: { publicUrl: string; secure: boolean; store: Store; sessions: Sessions }) {
  const key = deriveKey(settings.clientSecret, 'oidc');
  // The whole site's, as a host-only cookie must be: sealed, it says nothing to the other pages it goes to.
  const pendingCookie = hostCookie('sif_oidc', opts.secure);
  const pendingCookieOptions = { httpOnly: true, secure: opts.secure, sameSite: 'lax' as const, path: '/' };
  const redirectUri = `${trimSlash(opts.publicUrl)}/auth/callback`;
  let discovered: Promise<BaseClient> | undefined;

  function client() {
    discovered ??= (async () => {
      const issuer = await Issuer.discover(settings.issuer);
      const named = issuer.metadata.issuer;
      if (trimSlash(named) !== trimSlash(settings.issuer)) throw new Error(`OIDC discovery names issuer ${named}, not ${settings.issuer}`);
      return new issuer.Client({
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
    })().catch((err) => {
      discovered = undefined; // try again on the next sign-in
      throw err;
    });
    return discovered;
  }

  /**
   * What went wrong, for the log, without what the callback carried: openid-client's messages
   * quote its state or issuer ("state mismatch, expected …, got: …") and the issuer's error
   * description, which may name the person. The issuer's error code, or the check that failed.
   */
  const failureText = (why: unknown): string => {
    // Sent back in the callback: its code, as the person's browser brought it, if it is one.
    if (why instanceof errors.OPError && !why.response) return /^[a-z_]{1,40}$/.test(why.error ?? '') ? why.error! : 'an error code of another form';
    // An outage's words are about the connection or the issuer's answer ("expected 200 OK, got: 503"), not the callback.
    if (why instanceof errors.RPError && !outageIn(why)) return `RPError: ${why.message.split(',')[0]}`;
    return why instanceof Error ? describeError(why).split('\n')[0] : 'a thrown value';
  };

  // Every call to the issuer (discovery, the code exchange, its keys) is bounded as the API's calls are.
  custom.setHttpOptionsDefaults({ timeout: dependencyTimeoutMs });

  const fail = (req: Request, res: Response, next: string, why: unknown) => {
    const message = failureText(why);
    if (!outageIn(why)) {
      console.warn(`OIDC sign-in failed: ${message}`);
      res.redirect(303, `/sign-in?error=failed&next=${encodeURIComponent(next)}`);
      return;
    }
    // The code, if one came, is spent: sending this request again cannot help; signing in again can.
    console.warn(`OIDC sign-in could not finish, a service is down: ${message}`);
    const t = dict(langOf(req));
    const again = html`<p><a href="/sign-in?next=${encodeURIComponent(next)}">${t.signIn.again}</a></p>`;
    res
      .status(503)
      .set('retry-after', String(retryAfterSeconds))
      .type('html')
      .send(problemPage(req, t.problem.unavailable, t.signIn.unavailable, again));
  };

  const router = Router();

  router.get('/auth/oidc', async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    try {
      const c = await client();
      const pending: Pending = { state: generators.state(), nonce: generators.nonce(), verifier: generators.codeVerifier(), next, exp: Date.now() + 10 * 60_000 };
      res.cookie(pendingCookie, sealValue(key, pending), { ...pendingCookieOptions, maxAge: 10 * 60_000 });
      const url = c.authorizationUrl({
        scope: settings.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
      res.redirect(303, url);
    } catch (err) {
      fail(req, res, next, err);
    }
  });

  router.get('/auth/callback', async (req: Request, res: Response) => {
    const pending = unsealValue<Pending>(key, cookieValue(req, pendingCookie));
    res.clearCookie(pendingCookie, pendingCookieOptions);
    const next = safeNext(pending?.next);
    try {
      if (!pending || pending.exp < Date.now()) throw new Error('no sign-in in progress, or it has expired');
      const c = await client();
      // Refuses a wrong state, an error from the issuer, a missing code and any ID token that fails its checks.
      const tokens = await c.callback(redirectUri, c.callbackParams(req), {
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.verifier,
      });
      const sub: unknown = tokens.claims().sub;
      // A user id is a string; an object here would be a query to the database, not a name.
      if (typeof sub !== 'string') throw new Error('the ID token names no user');
      const user = await opts.store.users.findById(sub).lean();
      if (!user || !mayUseSystem(user)) {
        res.redirect(303, `/sign-in?unknown=${encodeURIComponent(sub)}&next=${encodeURIComponent(next)}`);
        return;
      }
      await opts.sessions.signIn(req, res, user._id);
      res.redirect(303, next);
    } catch (err) {
      fail(req, res, next, err);
    }
  });

  return router;
}
export type Oidc = ReturnType<typeof oidc>;
