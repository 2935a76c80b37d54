import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodeJwt, jwtVerify } from 'jose';
import { identityKeys } from './identityKeys';
import { z } from 'zod';
import { saysHttps, type Config } from '../config';
import { PayloadKeyUnknown, PayloadUndecipherable } from '../config/payloadCodec';
import type { Actor } from '../domain/people';
import type { Store } from '../store';
import { actorOfUser, bearerActor, requireRole } from './auth';
import { keySetUnavailable } from './dependencies';
import { recordDecryption } from './decryptionReads';
import { sessionUser } from './pages/session';
import { forbidden, HttpProblem, notFound, parseBody, unauthorized, unavailable } from './problem';

/** Payloads as the codec protocol carries them: protobuf JSON, bytes in base64. */
const payloadJson = z.object({
  metadata: z.record(z.string().max(200), z.base64().max(4096)).nullish(),
  data: z.base64().nullish(),
});
type PayloadJson = z.infer<typeof payloadJson>;
const payloadsBody = z.object({ payloads: z.array(payloadJson).max(1000) });

const bytes = (b64: string) => Buffer.from(b64, 'base64');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function fromJson(p: PayloadJson): Payload {
  return {
    metadata: p.metadata ? Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, bytes(v)])) : undefined,
    data: p.data ? bytes(p.data) : undefined,
  };
}

function toJson(p: Payload) {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
    data: b64(p.data ?? new Uint8Array()),
  };
}

/** The issuer a token says it comes from, unverified: only to choose which keys verify it. */
function issuerNamedIn(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** The UI's sign-in could not give its key set, so whether a token is one of its own cannot be told. */
const keySetDown = Symbol('keySetDown');

/**
 * Access tokens of the Temporal UI's own sign-in (Temporal Cloud's, or a self-hosted UI's
 * issuer), which the UI passes when told to: the person is the active user whose e-mail
 * address the token names, and only if exactly one has it.
 */
function uiTokenActor(settings: NonNullable<Config['codec']['uiTokens']>, store: Store) {
  const keys = identityKeys(settings.jwksUrl);
  return async (token: string): Promise<Actor | typeof keySetDown | undefined> => {
    // A token that names another issuer is not the UI's (the CLI's, the application's own): it waits for none of the UI's keys.
    if (settings.issuer && issuerNamedIn(token) !== settings.issuer) return undefined;
    let email: unknown;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['exp'] });
      email = payload[settings.emailClaim];
    } catch (err) {
      if (keySetUnavailable(err)) return keySetDown;
      return undefined; // perhaps one of the application's own tokens
    }
    if (typeof email !== 'string' || !email) return undefined;
    const users = await store.users.find({ email, active: true }).limit(2).lean();
    if (users.length !== 1) return undefined;
    const [user] = users;
    return actorOfUser(user);
  };
}

/**
 * The remote codec endpoint of the Temporal UI and CLI (`POST /codec/decode`, `/codec/encode`):
 * operators read decrypted histories, nobody else does. An operator is known by a bearer
 * token: the application's own (the CLI's --codec-auth) or the Temporal UI's sign-in's
 * (a UI that passes its access token, CODEC_JWKS_URL); or, from the Temporal UI's origin
 * only, by the pages' session cookie (a UI on the same site that includes credentials).
 * Browsers may call it from CODEC_CORS_ORIGINS and from nowhere else.
 */
export function codecRoutes(deps: { config: Config; store: Store; codec: PayloadCodec }) {
  const { config, store, codec } = deps;
  const allowedOrigins = new Set(config.codec.corsOrigins);
  const bearer = bearerActor(config, store);
  const fromUiSignIn = config.codec.uiTokens ? uiTokenActor(config.codec.uiTokens, store) : undefined;
  const router = Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    // What comes back is personal data in clear: never cached, and the answer varies by who asks from where.
    res.set({ 'cache-control': 'no-store', vary: 'Origin' });
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    if (!allowedOrigins.has(origin)) throw forbidden({ code: 'originNotAllowed', origin });
    res.set({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'access-control-allow-methods': 'POST, OPTIONS',
      // The UI sends Authorization-Extras (its ID token) beside a passed access token.
      'access-control-allow-headers': 'Authorization, Authorization-Extras, Content-Type, X-Namespace',
      'access-control-max-age': '600',
    });
    res.status(204).end();
  });

  // A history's payload may be up to Temporal's 2 MB blob limit, larger in base64.
  router.use(express.json({ limit: '4mb', strict: true }));

  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const uiUser = token && fromUiSignIn ? await fromUiSignIn(token) : undefined;
    if (uiUser === keySetDown) {
      // Perhaps the application's own token, which needs none of the UI's keys; if not, the operator is asked to wait, not to sign in again.
      req.actor = await bearer(req).catch((err: unknown) => {
        throw err instanceof HttpProblem && err.status === 401 ? unavailable('identityProvider') : err;
      });
      return next();
    }
    if (uiUser) {
      req.actor = uiUser;
      return next();
    }
    if (req.headers.authorization || !req.headers.origin) {
      req.actor = await bearer(req);
      return next();
    }
    // Only a browser on an allowed origin gets here: a cookie sent from anywhere else was refused above.
    const user = await sessionUser(store, config.sessions, saysHttps(config.publicUrl), req);
    if (!user) throw unauthorized({ code: 'bearerRequired' });
    req.actor = user.actor;
    next();
  });

  const convert = (direction: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const operator = requireRole(req, 'operator');
    const { payloads } = parseBody(payloadsBody, req.body);
    try {
      const sent = payloads.map(fromJson);
      const converted = await codec[direction](sent);
      if (direction === 'decode') await recordDecryption(store, req, operator.userId, sent, converted);
      res.json({ payloads: converted.map(toJson) });
    } catch (err) {
      if (err instanceof PayloadKeyUnknown) throw new HttpProblem(422, 'Unprocessable', { code: 'payloadKeyUnknown', keyId: err.keyId });
      if (err instanceof PayloadUndecipherable) throw new HttpProblem(422, 'Unprocessable', { code: 'payloadUndecipherable' });
      throw err;
    }
  };
  router.post('/decode', convert('decode'));
  router.post('/encode', convert('encode'));
  router.use(() => {
    throw notFound('route');
  });
  return router;
}
