import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { html, type Html } from './html';

/**
 * The hidden fields every form carries: the session's token, and a key made when the
 * form is drawn, so the same form sent twice (a double click, a retry after an outage)
 * acts once (api/idempotency.ts).
 */
export function csrfField(req: Request): Html {
  return html`<input type="hidden" name="_csrf" value="${req.pageSession?.csrf ?? ''}"><input type="hidden" name="_idempotencyKey" value="${randomUUID()}">`;
}

export class CsrfRejected extends Error {}
/** A form sent under a session that has ended since it was drawn: nothing of it was done. */
export class SessionEnded extends Error {}

/**
 * Every POST must carry the session's token; a page of another site cannot know it. A
 * form drawn under a session that has ended since carries that session's token: its
 * sender is told they were signed out, not that the form came from elsewhere.
 */
export function checkCsrf(req: Request, _res: Response, next: NextFunction) {
  if (req.method !== 'POST') return next();
  const given = Buffer.from(typeof req.body?._csrf === 'string' ? req.body._csrf : '');
  const expected = Buffer.from(req.pageSession?.csrf ?? '');
  if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw req.sessionEnded ? new SessionEnded() : new CsrfRejected('CSRF token missing or wrong');
  }
  next();
}
