import { z } from 'zod';
import { webhookPayloadSchema } from '../domain/outbox';
import { problemReply } from './replies/problem';
import { bodyRequired, errorStatuses, openApiPath, type AnyRoute, type NamedSchema, type Reply, type Rule } from './registry';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema 2020-12, as OpenAPI 3.1 takes it: what the server accepts
 * (its input side), with the keywords where JSON Schema and zod disagree set to zod's.
 */
export function jsonSchema(s: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema: js }) => {
      // zod's e-mail rule is its pattern; the `email` format is another, looser or stricter by validator.
      if (js.format === 'email' && js.pattern) delete js.format;
      // A link is a web address as a browser reads it (WHATWG), not an RFC 3986 URI: its pattern says which.
      if (js.format === 'uri') delete js.format;
    },
  });
  return rest;
}

const errorWords: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'A parameter or the body is refused: `errors` names each field with a code' },
  401: { name: 'Unauthorized', description: 'No valid bearer token' },
  403: { name: 'Forbidden', description: "The person's current roles do not allow it" },
  404: { name: 'NotFound', description: 'No such resource' },
  405: { name: 'MethodNotAllowed', description: 'The path does not take this method; `Allow` lists those it does' },
  409: {
    name: 'Conflict',
    description:
      'The case is not in a state that allows it (stage, task already done); or, with Retry-After seconds, a step of the case is under way (an answer, a revision) or the same Idempotency-Key is in flight: ask again then',
  },
  410: { name: 'Gone', description: "The case's workflow is past Temporal's retention: what only the workflow held is no longer kept" },
  412: { name: 'PreconditionFailed', description: 'An `If-Match` that no longer holds: what the client read has changed since' },
  413: { name: 'ContentTooLarge', description: 'The body is larger than 1 MB' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not JSON in UTF-8' },
  422: { name: 'Unprocessable', description: 'Well-formed but refused: incomplete (`missing`), a CPR number, an Idempotency-Key reused with another body' },
  503: { name: 'Unavailable', description: 'A dependency (database, Temporal, workers) is down: try again after Retry-After seconds' },
};
const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const errorResponses = Object.fromEntries(
  Object.values(errorWords).map(({ name, description }) => [
    name,
    {
      description,
      content: problemContent,
      ...(name === 'Unavailable' || name === 'Conflict' ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
      ...(name === 'MethodNotAllowed' ? { headers: { Allow: { schema: { type: 'string' } } } } : {}),
    },
  ]),
);

/**
 * A 422 that names the rules of the body beyond its schema, as words and as `x-rules`
 * (their codes), so a client, or a fuzzer, knows which well-formed bodies may be refused.
 */
const rulesResponse = (rules: Rule[]) => ({
  description: `${errorWords[422].description}; or well-formed but against a rule the schema cannot state (\`ruleNotMet\`, or the code itself), each field named in \`errors\` with its rule: ${rules.join(', ')}`,
  content: problemContent,
  'x-rules': rules,
});

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (1–200 visible ASCII characters) per request: a retry with the same key gets the first answer again (header Idempotent-Replayed: true), never a second effect; the same key with another body is 422. Remembered 24 hours.',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
};

const webhookDescription =
  'Each notification is also POSTed to WEBHOOK_URL, when set, from the outbox (retried with backoff until the configured limit). ' +
  '`X-SIF-Signature` is `sha256=` and the hex HMAC-SHA256 of the exact body bytes under WEBHOOK_SECRET: compute it over the raw body before parsing and compare in constant time. ' +
  '`X-SIF-Delivery` is the payload `id`; a rare second delivery (a crash after the handover) has the same id. Any 2xx takes it.';

/** OpenAPI 3.1, generated from the routes as Express runs them: their schemas, answers and refusals. */
export function openApiDocument(serverUrl: string, routes: AnyRoute[]) {
  const schemas: Record<string, JsonSchema> = { Problem: jsonSchema(problemReply), WebhookNotification: jsonSchema(webhookPayloadSchema) };
  const origin = new Map<string, z.ZodType>();
  /** A named schema once under components, referred to everywhere else. */
  function ref(s: z.ZodType | NamedSchema): JsonSchema {
    if (s instanceof z.ZodType) return jsonSchema(s);
    const seen = origin.get(s.name);
    if (seen && seen !== s.schema) throw new Error(`two schemas are named ${s.name}`);
    if (!seen) {
      origin.set(s.name, s.schema);
      schemas[s.name] = jsonSchema(s.schema);
    }
    return { $ref: `#/components/schemas/${s.name}` };
  }

  function parameters(r: AnyRoute) {
    const of = (where: 'path' | 'query' | 'header', s: z.ZodType | undefined) => {
      if (!s) return [];
      const js = jsonSchema(s) as { properties?: Record<string, JsonSchema>; required?: string[] };
      return Object.entries(js.properties ?? {}).map(([name, schema]) => ({
        name,
        in: where,
        required: where === 'path' || (js.required?.includes(name) ?? false),
        schema,
      }));
    };
    const writes = r.method !== 'get' && !r.open;
    return [
      ...of('path', r.params as z.ZodType | undefined),
      ...of('query', r.query as z.ZodType | undefined),
      ...of('header', r.headers as z.ZodType | undefined),
      ...(writes ? [idempotencyKey] : []),
    ];
  }

  function requestBody(r: AnyRoute) {
    if (!r.body) return undefined;
    const schema = Array.isArray(r.body) ? { anyOf: r.body.map((n) => ref(n)) } : ref(r.body as z.ZodType | NamedSchema);
    return { required: bodyRequired(r), content: { 'application/json': { schema, ...(r.examples ? { examples: r.examples } : {}) } } };
  }

  function reply(p: Reply) {
    const content = { [p.type ?? 'application/json']: { schema: ref(p.schema) }, ...(p.alternative ? { [p.alternative.type]: { schema: jsonSchema(p.alternative.schema) } } : {}) };
    return { description: p.description, ...(p.headers ? { headers: p.headers } : {}), content, ...(p.links ? { links: p.links } : {}) };
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${openApiPath(r.path)}`;
    const replies = Object.fromEntries(Object.entries(r.replies).map(([status, p]) => [status, reply(p)]));
    const errors = Object.fromEntries(
      errorStatuses(r)
        .filter((s) => !(s in replies))
        .map((s) => [s, s === 422 && r.rules ? rulesResponse(r.rules) : { $ref: `#/components/responses/${errorWords[s].name}` }]),
    );
    const params = parameters(r);
    const body = requestBody(r);
    (paths[path] ??= {})[r.method] = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.path.split('/')[1].replace(/\..*$/, '')],
      ...(r.open ? { security: [] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: { ...replies, ...errors },
    };
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'Social Investment Fund API',
      version: '0.1.0',
      description:
        'Casework of a municipal Social Investment Fund (Den Sociale Investeringsfond). Money is DKK with at most two decimals, held as whole øre. Every error is problem+json with a stable `code`; a method a path does not take is 405 with `Allow`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    webhooks: {
      notification: {
        post: {
          operationId: 'notificationWebhook',
          summary: 'A notification, as the fund sends it to the configured webhook receiver',
          description: webhookDescription,
          parameters: [
            {
              name: 'X-SIF-Signature',
              in: 'header',
              required: true,
              schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
              description: 'HMAC-SHA256 of the raw body under WEBHOOK_SECRET',
            },
            { name: 'X-SIF-Delivery', in: 'header', required: true, schema: { type: 'string' }, description: 'the payload id: the same for a repeated delivery' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookNotification' } } } },
          responses: { '2XX': { description: 'taken; anything else is tried again later' } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
      responses: errorResponses,
    },
  };
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;
