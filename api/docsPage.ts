import { openApiDocument } from './openapi';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A plain, script-free reading of the OpenAPI document for people; its style is a file, as the pages' policy wants. */
export function renderDocsPage(doc: ReturnType<typeof openApiDocument>): string {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, { summary: string }>).map(
      ([method, op]) => `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(op.summary)}</td></tr>`,
    ),
  );
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, s]) => `<h3 id="${escape(name)}">${escape(name)}</h3><pre tabindex="0">${escape(JSON.stringify(s, null, 2))}</pre>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<link rel="stylesheet" href="/assets/docs.css">
</head><body><main>
<h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description)}</p>
<p>Every route but <code>/api/health</code> needs <code>Authorization: Bearer &lt;JWT&gt;</code>. Errors are <code>application/problem+json</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2><table><tbody>${ops.join('\n')}</tbody></table>
<h2>Schemas</h2>${schemas.join('\n')}
</main></body></html>`;
}
