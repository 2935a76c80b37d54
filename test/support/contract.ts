import type { z } from 'zod';
import { openApiPath, schemaOf, type AnyRoute } from '../../api/registry';
import { problemReply } from '../../api/replies/problem';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, unknown> }> }>>;
  components: { responses: Record<string, { content?: Record<string, unknown> }> };
}

/**
 * Holds each answer of the API to what its OpenAPI document promises for the operation
 * and status: an undocumented status or media type, or a body that does not fit the
 * schema the document was generated from, is an error, so a field renamed in code fails
 * the test that reads it. The bodies are checked with the routes' own zod schemas, which
 * is quick enough for every request of every test.
 */
export function contractChecker(routes: AnyRoute[], doc: Document) {
  const known = routes.map((r) => ({
    route: r,
    template: `/api${openApiPath(r.path)}`,
    pattern: new RegExp(`^/api${r.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}$`),
  }));

  /** Throws if the answer is not what the document says; answers outside the document's operations are left alone. */
  return function check(method: string, url: string, status: number, contentType: string | null, body: unknown) {
    const path = new URL(url, 'http://x').pathname;
    const found = known.find((k) => k.route.method === method.toLowerCase() && k.pattern.test(path));
    if (!found) return;
    const where = `${method} ${path} answered ${status}`;
    let response = doc.paths[found.template][found.route.method].responses[String(status)];
    if (!response) throw new Error(`${where}, a status the document does not list for the operation`);
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()!];
    const type = (contentType ?? '').split(';')[0].trim();
    if (!response.content?.[type]) throw new Error(`${where} as ${type || 'no content type'}, which the document does not list`);
    if (!type.endsWith('json')) return;
    const reply = found.route.replies[status as keyof AnyRoute['replies']];
    const schema: z.ZodType = reply ? schemaOf(reply.schema) : problemReply;
    const result = schema.safeParse(body);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new Error(`${where} with a body the document does not describe: ${problems}\n${JSON.stringify(body).slice(0, 2000)}`);
    }
  };
}
export type ContractChecker = ReturnType<typeof contractChecker>;
