import type { NextFunction, Request, Response } from 'express';

/** No inline script or style, no framing, forms post only here. */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** What every HTML page of the site sends, the pages for people and the API's docs alike. */
export function htmlPageHeaders(_req: Request, res: Response, next: NextFunction) {
  setHtmlPageHeaders(res);
  next();
}

export function setHtmlPageHeaders(res: Response) {
  res.set({
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });
}

/**
 * What every API answer sends: its content type is meant (no sniffing), and nothing in
 * it is kept by a browser or a proxy, since answers hold people's names, votes and money.
 */
export function apiHeaders(_req: Request, res: Response, next: NextFunction) {
  res.set({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  next();
}
