import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../config';
import { PayloadKeyUnknown, PayloadUndecipherable } from '../config/payloadCodec';
import type { Store } from '../store';
import { authenticate, requireRole } from './auth';
import { activeUser, readSession, sessionKey } from './pages/session';
import { forbidden, HttpProblem, notFound, parseBody, unauthorized } from './problem';

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

/**
 * The remote codec endpoint of the Temporal UI and CLI (`POST /codec/decode`, `/codec/encode`):
 * operators read decrypted histories, nobody else does. An operator is known by a bearer
 * token (the CLI's --codec-auth, a UI that passes its access token) or, from the Temporal
 * UI's origin only, by the pages' session cookie (a UI on the same site that includes
 * credentials). Browsers may call it from CODEC_CORS_ORIGINS and from nowhere else.
 */
export function codecRoutes(deps: { config: Config; store: Store; codec: PayloadCodec }) {
  const { config, store, codec } = deps;
  const allowedOrigins = new Set(config.codec.corsOrigins);
  const bearer = authenticate(config, store);
  const cookieKey = sessionKey(config);
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

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization || !req.headers.origin) return bearer(req, res, next);
    // Only a browser on an allowed origin gets here: a cookie sent from anywhere else was refused above.
    const session = cookieKey ? readSession(cookieKey, req) : undefined;
    const user = session?.userId ? await activeUser(store, session.userId) : undefined;
    if (!user) throw unauthorized({ code: 'bearerRequired' });
    req.actor = user.actor;
    next();
  });

  const convert = (direction: 'encode' | 'decode') => async (req: Request, res: Response) => {
    requireRole(req, 'operator');
    const { payloads } = parseBody(payloadsBody, req.body);
    try {
      const converted = await codec[direction](payloads.map(fromJson));
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
