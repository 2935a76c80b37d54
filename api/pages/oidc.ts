import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Store } from '../../store';
import { safeNext } from './errors';
import { cookieValue } from './cookies';
import { sealValue, unsealValue, type Sessions } from './session';

/**
 * Sign-in in production: OpenID Connect authorization code flow with PKCE (S256),
 * state and nonce, against the configured issuer, OIDC_ISSUER_URL (endpoints from its
 * .well-known/openid-configuration). The ID token's `sub` must equal a user id,
 * as for bearer tokens.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
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
const random = () => randomBytes(32).toString('base64url');

export function oidc(settings: OidcSettings, opts: { publicUrl: string; key: Buffer; secure: boolean; store: Store; sessions: Sessions }) {
  const redirectUri = `${trimSlash(opts.publicUrl)}/auth/callback`;
  let discovered: Promise<{ meta: Discovery; keys: JWTVerifyGetKey }> | undefined;

  function discover() {
    discovered ??= (async () => {
      const res = await fetch(`${trimSlash(settings.issuer)}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`OIDC discovery answered ${res.status}`);
      const meta = (await res.json()) as Discovery;
      if (trimSlash(meta.issuer) !== trimSlash(settings.issuer)) throw new Error(`OIDC discovery names issuer ${meta.issuer}, not ${settings.issuer}`);
      return { meta, keys: createRemoteJWKSet(new URL(meta.jwks_uri)) };
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
      const { meta } = await discover();
      const pending: Pending = { state: random(), nonce: random(), verifier: random(), next, exp: Date.now() + 10 * 60_000 };
      res.cookie(pendingCookie, sealValue(opts.key, pending), { httpOnly: true, secure: opts.secure, sameSite: 'lax', path: '/auth', maxAge: 10 * 60_000 });
      const url = new URL(meta.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: settings.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      res.redirect(303, url.toString());
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
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      if (state.length !== pending.state.length || !timingSafeEqual(Buffer.from(state), Buffer.from(pending.state))) throw new Error('state does not match');
      if (typeof req.query.error === 'string') throw new Error(`the issuer answered ${req.query.error}`);
      const code = typeof req.query.code === 'string' ? req.query.code : '';
      if (!code) throw new Error('no authorization code');
      const { meta, keys } = await discover();
      const tokenRes = await fetch(meta.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pending.verifier }),
      });
      const tokens = (await tokenRes.json().catch(() => ({}))) as { id_token?: string; error?: string };
      if (!tokenRes.ok || !tokens.id_token) throw new Error(`token endpoint answered ${tokenRes.status} ${tokens.error ?? ''}`);
      const { payload } = await jwtVerify(tokens.id_token, keys, { issuer: meta.issuer, audience: settings.clientId });
      if (payload.nonce !== pending.nonce) throw new Error('nonce does not match');
      const user = payload.sub ? await opts.store.users.findById(payload.sub).lean() : null;
      if (!user || !user.active) {
        res.redirect(303, `/sign-in?unknown=${encodeURIComponent(payload.sub ?? '')}&next=${encodeURIComponent(next)}`);
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
