import { parseCookie } from 'cookie';
import type { Request } from 'express';

/**
 * A cookie's name on this site: on https with the `__Host-` prefix, which a browser takes
 * only from this host itself, Secure, for the whole site and with no Domain. Without it a
 * site under the same parent domain (another of the municipality's) could plant a session
 * or a CSRF token of its own here, for a path that wins over ours.
 */
export const hostCookie = (name: string, secure: boolean) => (secure ? `__Host-${name}` : name);

/** One cookie of the request, read by the `cookie` package (the first of a name wins). Express's res.cookie writes them. */
export function cookieValue(req: Request, name: string): string | undefined {
  return parseCookie(req.headers.cookie ?? '')[name];
}
