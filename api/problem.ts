import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { paramsOf } from '../domain/codes';
import { momentaryRefusals, refusalText, type Refusal } from '../domain/refusals';
import { issueText, onlyBeyondSchema, onlyCprNumbers, ownIssue } from '../domain/issues';
import { describeError } from '../domain/logText';
import { outageOf, retryAfterSeconds, type Dependency } from './dependencies';

const hasParams = (o: object) => Object.keys(o).length > 1;

export interface FieldProblem {
  field: string;
  /** Our own issue code (see domain/issues.ts), or zod's where the rule is zod's own. */
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/**
 * An error the client caused or must know about; rendered as RFC 9457 problem+json with
 * the refusal's `code` and `params` beside its English `detail`.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly refusal: Refusal,
    readonly extra: Record<string, unknown> = {},
    /** Seconds, for a 503 or a momentary 409: when to try again. */
    readonly retryAfter?: number,
  ) {
    super(refusalText(refusal));
  }

  /** The refusal in English, for people reading the API. */
  get detail(): string {
    return this.message;
  }
}

export const badRequest = (errors: FieldProblem[], refusal: Refusal = { code: 'invalidRequest' }) => new HttpProblem(400, 'Invalid request', refusal, { errors });
export const notFound = (what: Extract<Refusal, { code: 'notFound' }>['what'], id?: string) =>
  new HttpProblem(404, 'Not found', { code: 'notFound', what, ...(id === undefined ? {} : { id }) });
export const forbidden = (refusal: Refusal) => new HttpProblem(403, 'Forbidden', refusal);
/** A momentary refusal says when to ask again; the Idempotency-Key layer does not keep it as the key's answer. */
export const conflict = (refusal: Refusal, extra: Record<string, unknown> = {}) =>
  new HttpProblem(409, 'Conflict', refusal, extra, momentaryRefusals.has(refusal.code) ? momentaryRetrySeconds : undefined);
const momentaryRetrySeconds = 1;
export const preconditionFailed = (refusal: Refusal) => new HttpProblem(412, 'Precondition failed', refusal);
export const unauthorized = (refusal: Refusal) => new HttpProblem(401, 'Unauthorized', refusal);
export const unavailable = (dependency: Dependency) => new HttpProblem(503, 'Service unavailable', { code: 'unavailable', dependency }, {}, retryAfterSeconds);

/** A dependency outage as the 503 it stands for; undefined for anything else. Its cause goes on the log, once a minute a dependency. */
export function outageProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err.status === 503 ? err : undefined;
  const dependency = outageOf(err);
  if (!dependency) return undefined;
  if (Date.now() - (outageLogged.get(dependency) ?? 0) >= outageLogEveryMs) {
    outageLogged.set(dependency, Date.now());
    console.warn(`answering 503 (${dependency} unavailable):`, describeError(err));
  }
  return unavailable(dependency);
}
const outageLogEveryMs = 60_000;
const outageLogged = new Map<Dependency, number>();

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    // Name the unknown keys themselves, so the client sees which fields to drop.
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.map((k) => (field === '(body)' ? k : `${field}.${k}`)).join(', '), code: issue.code, message: 'unknown field' };
    }
    const own = ownIssue(issue);
    return own ? { field, code: own.code, message: issueText(own), ...(hasParams(own) ? { params: paramsOf(own) } : {}) } : { field, code: issue.code, message: issue.message };
  });
}

/**
 * Parses with zod or throws a 400 naming each bad field; a 422 when the request is
 * well-formed by the API document and refused only by what it says: a CPR number in it,
 * or a rule the schema cannot state (domain/issues.ts `beyondSchema`).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = fieldProblems(result.error);
  const fields = errors.map((e) => e.field);
  if (onlyCprNumbers(result.error.issues)) throw new HttpProblem(422, 'Unprocessable content', { code: 'cprNumber', fields }, { errors });
  if (onlyBeyondSchema(result.error.issues)) throw ruleNotMet(errors);
  throw badRequest(errors);
}

/** A well-formed body against a rule of the fund the schema cannot state: 422 naming each field and rule. */
export const ruleNotMet = (errors: FieldProblem[]) => new HttpProblem(422, 'Unprocessable content', { code: 'ruleNotMet', fields: errors.map((e) => e.field) }, { errors });

export function sendProblem(res: Response, p: HttpProblem) {
  if (p.retryAfter !== undefined) res.set('retry-after', String(p.retryAfter));
  res
    .status(p.status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title: p.title, status: p.status, detail: p.detail, code: p.refusal.code, params: paramsOf(p.refusal), ...p.extra });
}

export const problemHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpProblem) return sendProblem(res, err);
  // express.json() reports malformed JSON and oversized bodies with a status of their own.
  const status = (err as { status?: number }).status;
  if ((err as { type?: string }).type === 'entity.parse.failed') {
    return sendProblem(res, badRequest([{ field: '(body)', code: 'invalidJson', message: 'is not valid JSON' }], { code: 'invalidJson' }));
  }
  if ((err as { type?: string }).type === 'entity.too.large') {
    return sendProblem(res, new HttpProblem(413, 'Content too large', { code: 'payloadTooLarge', limit: String((err as { limit?: number }).limit ?? '') + ' bytes' }));
  }
  // The router could not decode a path parameter (`/api/proposals/%E0`): the path is the field.
  if (err instanceof URIError && status === 400) {
    return sendProblem(res, badRequest([{ field: '(path)', code: 'invalidEncoding', message: 'is not valid percent-encoded UTF-8' }]));
  }
  if (status === 415) {
    return sendProblem(res, new HttpProblem(415, 'Unsupported media type', { code: 'unsupportedMediaType', contentType: String((err as { charset?: string }).charset ?? '') }));
  }
  // A dependency outage is the client's to retry, never a 500.
  const outage = outageProblem(err);
  if (outage) return sendProblem(res, outage);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendProblem(res, new HttpProblem(status, 'Bad request', { code: 'badRequest', message: (err as Error).message }));
  }
  console.error(describeError(err));
  sendProblem(res, new HttpProblem(500, 'Internal error', { code: 'internal' }));
};
