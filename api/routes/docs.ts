import { z } from 'zod';
import type { OpenApiDocument } from '../openapi';
import { renderDocsPage } from '../docsPage';
import { route, type AnyRoute } from '../registry';
import { setHtmlPageHeaders } from '../securityHeaders';

/** The API's description, for programs and for people; it holds no data, so people may read it before they sign in. */
export function docsRoutes(doc: () => OpenApiDocument): AnyRoute[] {
  let page: string | undefined;
  return [
    route({
      id: 'getOpenApiDocument',
      method: 'get',
      path: '/openapi.json',
      open: true,
      summary: 'This document: OpenAPI 3.1',
      replies: { 200: { description: 'the document', schema: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.looseObject({}) }) } },
      handle: (_req, res) => void res.json(doc()),
    }),
    route({
      id: 'getApiDocs',
      method: 'get',
      path: '/docs',
      open: true,
      summary: 'This document for people: every operation, its parameters, bodies with examples, answers and refusals, and the webhooks',
      replies: { 200: { description: 'an HTML page', type: 'text/html', schema: z.string() } },
      handle: (_req, res) => {
        setHtmlPageHeaders(res);
        res.type('html').send((page ??= renderDocsPage(doc())));
      },
    }),
  ];
}
