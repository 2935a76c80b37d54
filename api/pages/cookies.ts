import { parseCookie } from 'cookie';
import type { Request } from 'express';

/** One cookie of the request, read by the `cookie` package (the first of a name wins). Express's res.cookie writes them. */
export function cookieValue(req: Request, name: string): string | undefined {
  return parseCookie(req.headers.cookie ?? '')[name];
}
