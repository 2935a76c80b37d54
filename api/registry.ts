import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { RuleBeyondSchema } from '../domain/issues';
import type { Refusal } from '../domain/refusals';
import { HttpProblem, parseBody } from './problem';

export type Method = 'get' | 'post' | 'put';
/** The refusals a route may answer besides those every route of its kind has (see `errorStatuses`). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 503;
/**
 * A rule beyond the schema, by the code its refusal names: an issue in `errors[]`, or the
 * refusal's own code (an answer to another kind of task; a case not complete enough to submit).
 */
export type Rule = RuleBeyondSchema | Extract<Refusal['code'], 'answerOfAnotherKind' | 'incomplete' | 'reportIncomplete'>;

/** A schema the document shows once, under components.schemas, and refers to by name. */
export interface NamedSchema<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
}
export const named = <S extends z.ZodType>(name: string, schema: S): NamedSchema<S> => ({ name, schema });
const isNamed = (s: z.ZodType | NamedSchema): s is NamedSchema => !(s instanceof z.ZodType);
export const schemaOf = (s: z.ZodType | NamedSchema) => (isNamed(s) ? s.schema : s);

export interface Reply {
  description: string;
  /** The JSON body; for another media type, a string schema under `type`. */
  schema: z.ZodType | NamedSchema;
  /** The media type, when it is not JSON. */
  type?: string;
  /** Another media type the same route answers with, chosen by `Accept`. */
  alternative?: { type: string; schema: z.ZodType };
  headers?: Record<string, { description: string; schema: object }>;
  /** OpenAPI links: how this answer's fields feed the next operation (create → read → submit). */
  links?: Record<string, { operationId: string; parameters: Record<string, string>; description: string }>;
}

export interface Example {
  summary: string;
  value: unknown;
}

/** What a handler may ask of its request: each part decoded by the schema the document shows for it, when the handler chooses. */
export interface Parsed<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, H extends z.ZodType = None> {
  params(): z.output<P>;
  query(): z.output<Q>;
  body(): z.output<B>;
  headers(): z.output<H>;
}

const none = z.strictObject({});
type None = typeof none;

/**
 * One route of the API, declared once: Express is given its handler, and the OpenAPI
 * document its parameters, body and answers, from the same schemas.
 */
export interface RouteSpec<P extends z.ZodType = None, Q extends z.ZodType = None, B extends z.ZodType = None, H extends z.ZodType = None> {
  /** The document's operationId: unique, stable, camelCase. */
  id: string;
  method: Method;
  /** Express notation, under /api: `/proposals/:id`. */
  path: string;
  summary: string;
  /** Answers without a token (health, the API's own description). */
  open?: true;
  params?: P;
  query?: Q;
  /** Request headers the route reads, named as the document shows them (`If-Match`); all optional. */
  headers?: H;
  /** Several named schemas: the body is one of them (a task's input, by the task's kind). */
  body?: B | NamedSchema<B> | NamedSchema[];
  examples?: Record<string, Example>;
  replies: Partial<Record<200 | 201 | 202 | 503, Reply>>;
  errors?: ErrorStatus[];
  /** Rules of the body beyond what its schema states (cross-field, the case's state, the clock): a body the document allows may break them, answered 422. */
  rules?: Rule[];
  handle(req: Request, res: Response, input: Parsed<P, Q, B, H>): unknown;
  /** A read `handle` needs, begun as soon as the token is verified so it overlaps the person's read and the key's claim; `handle` finds it in `req.readAhead`. */
  readAhead?(input: Parsed<P, Q, B, H>): Promise<unknown>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The route's `readAhead`, under way. */
    readAhead?: Promise<unknown>;
  }
}

/** A route of any schemas, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route's own types are checked where it is declared
export type AnyRoute = RouteSpec<any, any, any, any>;

/** Declares a route; its handler's input is typed by its schemas. */
export const route = <P extends z.ZodType = None, Q extends z.ZodType = None, B extends z.ZodType = None, H extends z.ZodType = None>(spec: RouteSpec<P, Q, B, H>): AnyRoute =>
  spec;

/** The schema a route's body is decoded with. */
export function bodySchema(r: AnyRoute): z.ZodType | undefined {
  if (!r.body) return undefined;
  if (Array.isArray(r.body)) return z.union(r.body.map((n: NamedSchema) => n.schema));
  return schemaOf(r.body as z.ZodType | NamedSchema);
}

/** A body is required when an empty one would be refused. */
export const bodyRequired = (r: AnyRoute) => {
  const s = bodySchema(r);
  return s !== undefined && !s.safeParse({}).success;
};

/** Every status a route may answer with an error, its own and those of its kind. */
export function errorStatuses(r: AnyRoute): ErrorStatus[] {
  const all = new Set<ErrorStatus>(r.errors ?? []);
  all.add(400); // every route checks its query, one that declares none too
  if (r.body) [413, 415].forEach((s) => all.add(s as ErrorStatus));
  // Signed in: no token (401), a token for someone who is not, or no longer, an active user here (403).
  if (!r.open) [401, 403, 503].forEach((s) => all.add(s as ErrorStatus));
  // A write takes an Idempotency-Key: malformed (400), in flight (409), reused with another body (422).
  if (r.method !== 'get' && !r.open) [400, 409, 422].forEach((s) => all.add(s as ErrorStatus));
  return [...all].sort();
}

/** A JSON body in anything but JSON: refused, rather than read as no body at all. */
function requireJson(req: Request) {
  // null: no body at all; false: a body of another type. An empty body (Content-Length: 0)
  // is no body, whatever its type says: a route whose body is optional takes it as `{}`.
  if (req.get('content-length') === '0') return;
  if (req.is('application/json') === false) {
    throw new HttpProblem(415, 'Unsupported media type', { code: 'unsupportedMediaType', contentType: req.get('content-type') ?? '' });
  }
}

/** The Express router for a list of routes, each handler given its request decoded by its declared schemas. */
export function routerOf(routes: AnyRoute[]): Router {
  const router = Router();
  for (const r of routes) {
    const parsed = parserOf(r);
    router[r.method](r.path, (req, res) => {
      if (r.method !== 'get') requireJson(req);
      const input = parsed(req);
      // A route that declares no query takes none: a parameter it would ignore is refused, as one it declares and cannot read is.
      if (!r.query) input.query();
      return r.handle(req, res, input);
    });
  }
  return router;
}

/** The routes' reads begun ahead (`readAhead`); a request its schemas refuse begins none, and is refused by its route. */
export function readAheadOf(routes: AnyRoute[]): Router {
  const router = Router();
  for (const r of routes) {
    if (!r.readAhead) continue;
    const parsed = parserOf(r);
    const method = r.method.toUpperCase();
    // Not a route of its own (it answers nothing): it passes every request on, and reads ahead for its route's method.
    router.all(r.path, (req, _res, next) => {
      if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) return next();
      try {
        // A real promise: a mongoose query is a thenable that runs again each time it is waited for.
        req.readAhead = Promise.resolve(r.readAhead!(parsed(req)));
        req.readAhead.catch(() => undefined); // the handler's to wait for, or not needed after a refusal
      } catch {
        // its parameters do not parse: the route says so
      }
      next();
    });
  }
  return router;
}

/** A request's parts, each decoded by the route's schema when asked. */
function parserOf(r: AnyRoute): (req: Request) => Parsed<z.ZodType, z.ZodType, z.ZodType, z.ZodType> {
  const body = bodySchema(r) ?? none;
  return (req) => ({
    params: () => parseBody(r.params ?? z.object({}), req.params),
    query: () => parseBody(r.query ?? none, req.query),
    body: () => parseBody(body, req.body),
    headers: () => parseBody(r.headers ?? none, headersOf(req, r.headers)),
  });
}

/** The declared headers' values, under the names the schema gives them (Express keeps them in lower case). */
function headersOf(req: Request, schema: z.ZodType | undefined): Record<string, string> {
  const names = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return Object.fromEntries(names.flatMap((name) => (req.get(name) === undefined ? [] : [[name, req.get(name) as string]])));
}

/** Express's `/a/:id` as OpenAPI's `/a/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * A method a path does not have: 405 with `Allow`, before anything else is asked
 * (a token, the body), so a client learns what the path does take.
 */
export function methodGuard(routes: AnyRoute[]): Router {
  const router = Router();
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method.toUpperCase()));
  for (const [path, methods] of byPath) {
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort();
    router.all(path, (req, res, next) => {
      if (methods.has(req.method)) return next();
      res.set('allow', allow.join(', '));
      throw new HttpProblem(405, 'Method not allowed', { code: 'methodNotAllowed', method: req.method, allow });
    });
  }
  return router;
}
