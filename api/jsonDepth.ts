import type { NextFunction, Request, Response } from 'express';
import { badRequest } from './problem';

/** Far deeper than any body the API takes: its schemas nest a handful of levels. */
export const maxJsonDepth = 32;

/** How deep a parsed JSON value nests, counted without recursion: a body is at most 1 MB, but half a million brackets overflow a recursive walk. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > maxJsonDepth) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses a JSON body nested deeper than any the API takes. JSON.parse takes any depth,
 * but JSON.stringify (the Idempotency-Key's fingerprint of the body) recurses, and a
 * body of a few hundred thousand brackets overflowed its stack into a 500.
 */
export function boundedNesting(req: Request, _res: Response, next: NextFunction) {
  if (depthOf(req.body) > maxJsonDepth) {
    throw badRequest([{ field: '(body)', code: 'tooDeep', message: `nests deeper than ${maxJsonDepth} levels` }], { code: 'bodyTooDeep', max: maxJsonDepth });
  }
  next();
}
