import type { Request, Response } from 'express';
import { langCookie, type Lang } from '../../i18n';
import { cookieValue } from './cookies';

/** The reader's language, as the language switch last set it; Danish until then. */
export function langOf(req: Request): Lang {
  const value = cookieValue(req, langCookie);
  return value === 'en' ? 'en' : 'da';
}

export function setLang(res: Response, lang: Lang, secure: boolean) {
  res.cookie(langCookie, lang, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
}
