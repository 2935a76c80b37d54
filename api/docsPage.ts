import type { OpenApiDocument } from './openapi';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const code = (s: string) => `<code>${escape(s)}</code>`;
const json = (v: unknown) => `<pre tabindex="0">${escape(JSON.stringify(v, null, 2))}</pre>`;

interface Schema {
  $ref?: string;
  anyOf?: Schema[];
  type?: string;
}
interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown; description?: string }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema; examples?: Record<string, { summary: string; value: unknown }> }> };
  responses: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema: Schema }> }>;
}

/** A parameter's schema in a line: a long pattern (a date's) is left to the format it spells out. */
function brief(schema: unknown): string {
  const { pattern, ...rest } = schema as { pattern?: string; format?: string };
  return JSON.stringify(pattern && (pattern.length <= 60 || !rest.format) ? { ...rest, pattern } : rest);
}

/** A schema named by a link to its place on the page, or shown in full where it has no name. */
function schemaLink(s: Schema): string {
  if (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if (s.anyOf) return `one of ${s.anyOf.map(schemaLink).join(', ')}`;
  return code(JSON.stringify(s));
}

function operation(path: string, method: string, op: Operation, errorText: Record<string, string>): string {
  const params = (op.parameters ?? []).map(
    (p) => `<tr><td>${code(p.name)}</td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${code(brief(p.schema))}</td></tr>`,
  );
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(
          ([type, c]) =>
            `<p>Body (${escape(type)}, ${op.requestBody!.required ? 'required' : 'optional'}): ${schemaLink(c.schema)}</p>` +
            Object.values(c.examples ?? {})
              .map((e) => `<details><summary>Example: ${escape(e.summary)}</summary>${json(e.value)}</details>`)
              .join(''),
        )
        .join('')
    : '';
  const answers = Object.entries(op.responses).map(([status, r]) => {
    const described = r.$ref ? (errorText[r.$ref.split('/').pop()!] ?? '') : (r.description ?? '');
    const content = r.content ? Object.entries(r.content).map(([type, c]) => `${escape(type)}: ${schemaLink(c.schema)}`) : r.$ref ? ['problem+json'] : [];
    return `<tr><td>${escape(status)}</td><td>${escape(described)}</td><td>${content.join('<br>')}</td></tr>`;
  });
  return `<section id="op-${escape(op.operationId)}"><h3>${code(`${method.toUpperCase()} ${path}`)}</h3>
<p>${escape(op.summary)}${op.security?.length === 0 ? ' No token needed.' : ''}</p>
${params.length ? `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Schema</th></tr></thead><tbody>${params.join('')}</tbody></table>` : ''}
${body}
<table><caption>Answers</caption><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th><th scope="col">Body</th></tr></thead><tbody>${answers.join('')}</tbody></table>
</section>`;
}

/**
 * The OpenAPI document for people, drawn on the server: no script, its style a file,
 * as the pages' Content-Security-Policy wants. Each body shows the real cases as examples.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const errorText = Object.fromEntries(Object.entries(doc.components.responses).map(([name, r]) => [name, r.description]));
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
      const tag = op.tags[0];
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(path, method, op, errorText)]);
    }
  }
  const contents = [...byTag.keys()].map((tag) => `<li><a href="#tag-${escape(tag)}">${escape(tag)}</a></li>`).join('');
  const groups = [...byTag].map(([tag, ops]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${ops.join('\n')}`);
  const webhook = doc.webhooks.notification.post;
  // Closed until asked for: some run to hundreds of lines.
  const schemas = Object.entries(doc.components.schemas).map(([name, s]) => `<details id="schema-${escape(name)}"><summary>${escape(name)}</summary>${json(s)}</details>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<link rel="stylesheet" href="/assets/docs.css">
</head><body><main>
<h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description)}</p>
<p>Every route but those marked otherwise needs <code>Authorization: Bearer &lt;JWT&gt;</code>. Every <code>POST</code> and <code>PUT</code> takes an <code>Idempotency-Key</code>. Errors are <code>application/problem+json</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav aria-label="Contents"><ul>${contents}<li><a href="#webhooks">webhooks</a></li><li><a href="#schemas">schemas</a></li></ul></nav>
${groups.join('\n')}
<h2 id="webhooks">Webhooks</h2>
<section><h3>${code('POST')} to WEBHOOK_URL: ${escape(webhook.summary)}</h3><p>${escape(webhook.description)}</p>
<p>Body: ${schemaLink(webhook.requestBody.content['application/json'].schema)}</p></section>
<h2 id="schemas">Schemas</h2>${schemas.join('\n')}
</main></body></html>`;
}
