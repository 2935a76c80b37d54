import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface MediaType {
  schema: unknown;
}
interface Response {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: { responses: Record<string, Response> };
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Holds each answer of the API to what the OpenAPI document promises for its operation
 * and status: an undocumented status, media type or a body that does not fit its schema
 * is an error, so a field renamed in code fails the test that reads it.
 */
export function contractChecker(doc: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  /** Throws if the answer is not what the document says; answers outside the document's operations are left alone. */
  return function check(method: string, url: string, status: number, contentType: string | null, body: unknown) {
    const path = new URL(url, 'http://x').pathname;
    const template = templates.find((t) => t.pattern.test(path))?.template;
    const op = template && doc.paths[template][method.toLowerCase()];
    if (!template || !op) return;
    const where = `${method} ${path} answered ${status}`;
    let name = String(status);
    let response = op.responses[name];
    if (!response) throw new Error(`${where}, a status the document does not list for the operation`);
    let at = ['paths', template, method.toLowerCase(), 'responses', name];
    if (response.$ref) {
      name = response.$ref.split('/').pop()!;
      response = doc.components.responses[name];
      at = ['components', 'responses', name];
    }
    const type = (contentType ?? '').split(';')[0].trim();
    if (!response.content?.[type]) throw new Error(`${where} as ${type || 'no content type'}, which the document does not list`);
    if (!type.endsWith('json')) return;
    const validate = ajv.getSchema(`openapi#/${encodeURI(pointer(...at, 'content', type, 'schema'))}`)!;
    if (!validate(body)) {
      throw new Error(`${where} with a body the document does not describe: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(body).slice(0, 2000)}`);
    }
  };
}
export type ContractChecker = ReturnType<typeof contractChecker>;
