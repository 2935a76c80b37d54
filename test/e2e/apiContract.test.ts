import { request as httpRequest } from 'node:http';
import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import { closedFundYears } from '../../domain/annualReport';
import { contractChecker } from '../support/contract';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string;
}

/** Every METHOD path Express answers under /api, found by walking its routers as mounted. */
function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
        for (const m of methods) found.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found
    .filter((r) => r.split(' ')[1].startsWith('/api/'))
    .map((r) => r.replace(/:(\w+)/g, '{$1}'))
    .sort();
}

/** A request by method name, for those fetch will not send (TRACE). */
function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the API contract', () => {
  let stack: Stack;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read as JSON
  let doc: any;
  beforeAll(async () => {
    stack = await startStack('api-contract');
    doc = (await stack.request('GET', '/api/openapi.json')).body;
  });
  afterAll(() => stack?.stop());

  it('describes exactly the routes Express answers', () => {
    const documented = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = expressRoutes(stack.api.app);
    expect(served.length).toBeGreaterThan(30);
    expect(served).toEqual(documented);
  });

  it('gives every answer a schema and every refusal problem+json', () => {
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: object }> }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const ok = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        expect([where, ok.length > 0]).toEqual([where, true]);
        for (const [, r] of ok) for (const media of Object.values(r.content ?? {})) expect([where, (media as { schema?: object }).schema]).toEqual([where, expect.any(Object)]);
        for (const [status, r] of Object.entries(op.responses).filter(([s]) => /^[45]/.test(s) && s !== '503')) {
          // A shared refusal, or a 422 that names the operation's own rules: problem+json either way.
          const problem = r.$ref ?? (r.content as Record<string, { schema: { $ref: string } }> | undefined)?.['application/problem+json']?.schema.$ref;
          expect([where, status, problem]).toEqual([where, status, expect.stringMatching(/^#\/components\/(responses\/|schemas\/Problem$)/)]);
        }
      }
    }
    for (const r of Object.values(doc.components.responses as Record<string, { content: object }>)) {
      expect(r.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    }
  });

  it('is as strict as the server: configured departments, required bodies, money and year ranges', () => {
    const departments = stack.config.people.departments.map((d) => d.code);
    expect(doc.components.schemas.Proposal.properties.responsibleDepartment.enum).toEqual(departments);
    expect(doc.paths['/api/proposals'].post.requestBody.required).toBe(true);
    expect(doc.paths['/api/proposals/{id}/submit'].post.requestBody.required).toBe(false);
    const year = doc.paths['/api/reports/{year}'].get.parameters.find((p: { name: string }) => p.name === 'year');
    expect(year.schema).toEqual({ type: 'integer', minimum: 2000, maximum: 2100 });
    // A report is started by hand only for a closed year of the fund's life.
    const { first, last } = closedFundYears(stack.config.fund.startDate, new Date());
    expect(doc.paths['/api/reports/{year}'].post.parameters[0].schema).toMatchObject({ minimum: first, maximum: last });
    const withParam = doc.paths['/api/fund/outlook'].get.parameters.find((p: { name: string }) => p.name === 'with');
    expect(withParam.schema).toMatchObject({ minLength: 1, maxLength: 100 });
    const money = new RegExp(doc.components.schemas.Proposal.properties.businessCase.properties.totalCost.anyOf[0].pattern);
    expect(['23000000.00', '1200000', ' 5.5 '].every((m) => money.test(m))).toBe(true);
    expect(['-5', '1.234', '1e6', '12345678901234'].some((m) => money.test(m))).toBe(false);
    // The server's own e-mail rule, not a validator's idea of the `email` format.
    expect(doc.components.schemas.User.properties.email).toMatchObject({ pattern: expect.any(String) });
    expect(doc.components.schemas.User.properties.email.format).toBeUndefined();
  });

  it('shows examples for the real cases that fit their schemas and that the server takes', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi');
    const create = doc.paths['/api/proposals'].post.requestBody.content['application/json'];
    const validateProposal = ajv.getSchema('openapi#/components/schemas/Proposal')!;
    for (const [name, example] of Object.entries(create.examples as Record<string, { value: unknown }>)) {
      expect([name, validateProposal(example.value), validateProposal.errors ?? null]).toEqual([name, true, null]);
    }
    const sara = await stack.as('sara.secretariat');
    for (const name of ['housingFirst', 'directGrant']) expect((await sara.post('/api/proposals', create.examples[name].value)).status).toBe(201);
    // Money the pattern refuses, the server refuses: a hundred billion DKK and more.
    const housingFirst = create.examples.housingFirst.value;
    const tooMuch = await sara.post('/api/proposals', { ...housingFirst, businessCase: { ...housingFirst.businessCase, totalCost: '100000000000' } });
    expect([tooMuch.status, tooMuch.body.errors]).toEqual([400, [expect.objectContaining({ field: 'businessCase.totalCost', code: 'dkkAmount' })]]);
    const complete = doc.paths['/api/tasks/{id}/complete'].post.requestBody.content['application/json'];
    for (const [kind, example] of Object.entries(complete.examples as Record<string, { value: unknown }>)) {
      const v = ajv.getSchema(`openapi#/components/schemas/TaskInput_${kind}`)!;
      expect([kind, v(example.value)]).toEqual([kind, true]);
    }
  });

  it('answers a method a path does not take with 405 and Allow, before asking for a token', async () => {
    for (const method of ['TRACE', 'DELETE', 'PATCH']) {
      const res = await raw(`${stack.api.url}/api/proposals`, method);
      expect([method, res.status, res.headers.allow]).toEqual([method, 405, 'GET, HEAD, POST']);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 405, code: 'methodNotAllowed', params: { method, allow: ['GET', 'HEAD', 'POST'] } });
    }
    const sara = await stack.as('sara.secretariat');
    const withToken = await raw(`${stack.api.url}/api/fund`, 'POST', { authorization: `Bearer ${sara.token}` });
    expect([withToken.status, withToken.headers.allow]).toEqual([405, 'GET, HEAD']);
    // A path that is not the API's is still 404.
    expect((await raw(`${stack.api.url}/api/nothing-here`, 'TRACE', { authorization: `Bearer ${sara.token}` })).status).toBe(404);
  });

  it('refuses a body that is not JSON (415) or too large (413) with problem+json', async () => {
    const sara = await stack.as('sara.secretariat');
    const auth = { authorization: `Bearer ${sara.token}` };
    const text = await raw(`${stack.api.url}/api/proposals`, 'POST', { ...auth, 'content-type': 'text/plain' }, 'title=x');
    expect([text.status, JSON.parse(text.body).code]).toEqual([415, 'unsupportedMediaType']);
    const latin1 = await raw(`${stack.api.url}/api/proposals`, 'POST', { ...auth, 'content-type': 'application/json; charset=koi8-r' }, '{}');
    expect([latin1.status, JSON.parse(latin1.body).code]).toEqual([415, 'unsupportedMediaType']);
    // An empty body is no body, whatever its type: a route whose body is optional goes on to ask who is asking.
    const empty = await raw(`${stack.api.url}/api/users/bo.member`, 'PUT', { ...auth, 'content-length': '0', 'idempotency-key': 'empty-body-1' }, '');
    expect(empty.status).toBe(403);
    const big = await stack.request('POST', '/api/proposals', { token: sara.token, raw: JSON.stringify({ title: 'x'.repeat(1_100_000) }) });
    expect([big.status, big.body.code]).toEqual([413, 'payloadTooLarge']);
    expect(big.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('holds answers to their schemas: a field renamed in code would fail', async () => {
    const check = contractChecker(stack.api.routes, doc);
    const fund = await (await stack.as('bo.member')).get('/api/fund');
    expect(() => check('GET', '/api/fund', 200, 'application/json', fund.body)).not.toThrow();
    const { free, ...renamed } = fund.body;
    expect(() => check('GET', '/api/fund', 200, 'application/json', { ...renamed, freeBalance: free })).toThrow(/free: Invalid input/);
    expect(() => check('GET', '/api/fund', 418, 'application/json', {})).toThrow(/does not list/);
  });

  it('answers a body the document allows but a rule beyond the schema refuses with 422, where the document names the rule', async () => {
    // The document says which operations have such rules; the others take every body it allows.
    expect(doc.paths['/api/proposals/{id}/procurement'].post.responses['422']['x-rules']).toEqual(['weightsSum', 'criterionOnce', 'metricOnce', 'metricNotApproved']);
    expect(doc.paths['/api/tasks/{id}/complete'].post.responses['422']['x-rules']).toContain('answerOfAnotherKind');
    expect(doc.paths['/api/proposals'].post.responses['422']).toEqual({ $ref: '#/components/responses/Unprocessable' });

    const sara = await stack.as('sara.secretariat');
    const bo = await stack.as('bo.member');
    const create = doc.paths['/api/proposals'].post.requestBody.content['application/json'];
    const id = (await sara.post('/api/proposals', create.examples.housingFirst.value)).body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const vote = await eventually(async () => {
      const tasks = await bo.get(`/api/tasks?proposalId=${id}`);
      const found = tasks.body.items.find((t: { kind: string }) => t.kind === 'councilVote');
      expect(found).toBeDefined();
      return found as { id: string };
    });
    // Another kind's answer is well-formed by the document, which offers every kind's: 422, naming the task's kind.
    const examples = doc.paths['/api/tasks/{id}/complete'].post.requestBody.content['application/json'].examples;
    const another = await bo.post(`/api/tasks/${vote.id}/complete`, examples.councilAttestation.value);
    expect([another.status, another.body.code, another.body.params]).toEqual([422, 'answerOfAnotherKind', { kind: 'councilVote' }]);
    // A body no kind takes is malformed: 400, the fields named by the task's kind.
    const malformed = await bo.post(`/api/tasks/${vote.id}/complete`, { decision: 'perhaps' });
    expect([malformed.status, malformed.body.errors[0].field]).toEqual([400, 'decision']);
  });

  it('refuses control characters in text, naming the field, and says so in the document; tab and line breaks stand', async () => {
    const sara = await stack.as('sara.secretariat');
    const create = doc.paths['/api/proposals'].post.requestBody.content['application/json'];
    const proposal = create.examples.housingFirst.value;
    const title = doc.components.schemas.Proposal.properties.title.allOf.map((p: { pattern: string }) => new RegExp(p.pattern));
    const takes = (s: string) => title.every((p: RegExp) => p.test(s));
    expect([takes('Housing\u0000First'), takes('Housing\tFirst'), takes(' \t ')]).toEqual([false, true, false]);

    // U+0000 once reached the database, whose PostgreSQL refuses it: a 500.
    const nul = await sara.post('/api/proposals', { ...proposal, title: 'Housing\u0000First', motivation: { ...proposal.motivation, rationale: 'Se\u001bbilag' } });
    expect([nul.status, nul.body.errors]).toEqual([
      400,
      [expect.objectContaining({ field: 'title', code: 'controlCharacter' }), expect.objectContaining({ field: 'motivation.rationale', code: 'controlCharacter' })],
    ]);
    const evidence = [{ kind: 'research', citation: 'En undersøgelse', url: 'https://www.vive.dk/\u0000' }];
    const link = await sara.post('/api/proposals', { ...proposal, motivation: { ...proposal.motivation, evidence } });
    expect([link.status, link.body.errors]).toEqual([400, [expect.objectContaining({ field: 'motivation.evidence.0.url', code: 'webLink' })]]);
    // Nor in what is only looked up: the database refuses U+0000 in a query as well.
    const lookup = await sara.get('/api/fund/outlook?with=SIF%00');
    expect([lookup.status, lookup.body.errors]).toEqual([400, [expect.objectContaining({ field: 'with', code: 'controlCharacter' })]]);
    const typed = await sara.post('/api/proposals', { ...proposal, summary: 'Egen bolig.\r\n\tIntensiv bostøtte.' });
    expect(typed.status).toBe(201);
  });

  it('describes the webhook payload and how to verify its signature', () => {
    const hook = doc.webhooks.notification.post;
    expect(hook.parameters.map((p: { name: string }) => p.name)).toEqual(['X-SIF-Signature', 'X-SIF-Delivery']);
    expect(doc.components.schemas.WebhookNotification.required).toEqual(expect.arrayContaining(['id', 'event', 'proposalId', 'recipients', 'link']));
    expect(hook.description).toMatch(/HMAC-SHA256/);
  });

  // Last: the validator takes seconds on a busy machine, and a keep-alive socket idle that long may be reset as a request reuses it.
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc));
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    expect(doc.openapi).toBe('3.1.0');
  });
});
