import type { NextFunction, Request, Response } from 'express';
import { dict } from '../../i18n';
import { PageProblem } from './errors';
import { langOf } from './lang';

/** Longer than any id or year a page's path names. */
const maxSegment = 200;

/**
 * A page's path names nothing with control characters or of any length: answered as not
 * found before a handler looks it up. The embedded database refuses a U+0000 even in a
 * lookup (a 500 otherwise), and the meeting page recorded a read of whatever id it was given.
 */
export function pagePaths(req: Request, _res: Response, next: NextFunction) {
  let segments: string[];
  try {
    segments = req.path.split('/').map(decodeURIComponent);
  } catch {
    segments = ['\u0000'];
  }
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (segments.some((s) => s.length > maxSegment || /[\x00-\x1F\x7F]/.test(s))) {
    const t = dict(langOf(req)).problem;
    throw new PageProblem(404, t.notFound, t.notFoundText);
  }
  next();
}
