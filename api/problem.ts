import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the client caused or must know about; rendered as RFC 9457 problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (errors: FieldProblem[], detail = 'The request has invalid fields.') =>
  new HttpProblem(400, 'Invalid request', detail, { errors });
export const notFound = (what: string) => new HttpProblem(404, 'Not found', `${what} does not exist`);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) => new HttpProblem(409, 'Conflict', detail, extra);
export const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail);

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    // Name the unknown keys themselves, so the client sees which fields to drop.
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.map((k) => (field === '(body)' ? k : `${field}.${k}`)).join(', '), message: 'unknown field' };
    }
    return { field, message: issue.message };
  });
}

/** Parses with zod or throws a 400 naming each bad field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest(fieldProblems(result.error));
  return result.data;
}

export function sendProblem(res: Response, p: HttpProblem) {
  res
    .status(p.status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title: p.title, status: p.status, ...(p.detail ? { detail: p.detail } : {}), ...p.extra });
}

export const problemHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpProblem) return sendProblem(res, err);
  // express.json() reports malformed JSON and oversized bodies with a status of their own.
  const status = (err as { status?: number }).status;
  if ((err as { type?: string }).type === 'entity.parse.failed') {
    return sendProblem(res, badRequest([{ field: '(body)', message: 'is not valid JSON' }], 'The body is not valid JSON.'));
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendProblem(res, new HttpProblem(status, 'Bad request', (err as Error).message));
  }
  console.error(err);
  sendProblem(res, new HttpProblem(500, 'Internal error', 'Something went wrong on our side; it has been logged.'));
};
