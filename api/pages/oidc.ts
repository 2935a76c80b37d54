import { Router, type Request, type Response } from 'express';
import { generators, Issuer, type BaseClient } from 'openid-client';
import type { Store } from '../../store';
import { cookieValue } from './cookies';
import { safeNext } from './errors';
import { sealValue, unsealValue, type Sessions } from './session';

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

const pendingCookie = 'sif_oidc';
const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function oidc(settings: OidcSettings, opts: { publicUrl: string; key: Buffer; secure: boolean; store: Store; sessions: Sessions }) {
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

  const fail = (res: Response, next: string, why: unknown) => {
    console.warn(`OIDC sign-in failed: ${why instanceof Error ? why.message : String(why)}`);
    res.redirect(303, `/sign-in?error=failed&next=${encodeURIComponent(next)}`);
  };

  const router = Router();

  router.get('/auth/oidc', async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    try {
      const c = await client();
      const pending: Pending = { state: generators.state(), nonce: generators.nonce(), verifier: generators.codeVerifier(), next, exp: Date.now() + 10 * 60_000 };
      res.cookie(pendingCookie, sealValue(opts.key, pending), { httpOnly: true, secure: opts.secure, sameSite: 'lax', path: '/auth', maxAge: 10 * 60_000 });
      const url = c.authorizationUrl({
        scope: settings.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
      res.redirect(303, url);
    } catch (err) {
      fail(res, next, err);
    }
  });

  router.get('/auth/callback', async (req: Request, res: Response) => {
    const pending = unsealValue<Pending>(opts.key, cookieValue(req, pendingCookie));
    res.clearCookie(pendingCookie, { path: '/auth' });
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
      const sub = tokens.claims().sub;
      const user = await opts.store.users.findById(sub).lean();
      if (!user || !user.active) {
        res.redirect(303, `/sign-in?unknown=${encodeURIComponent(sub)}&next=${encodeURIComponent(next)}`);
        return;
      }
      opts.sessions.signIn(req, res, user._id);
      res.redirect(303, next);
    } catch (err) {
      fail(res, next, err);
    }
  });

  return router;
}
export type Oidc = ReturnType<typeof oidc>;
