import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { workflowIdFor } from '../../workflows/input';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { payloadsIn } from '../support/histories';
import { pageVisitor } from '../support/pageVisitor';
import { testServers } from '../support/servers';
import { startStack, type Stack } from '../support/stack';

const run = promisify(execFile);

/** Temporal Cloud names the person in its access tokens by this claim. */
const cloudEmailClaim = 'https://saas-api.tmprl.cloud/user/email';

/** The Temporal UI's own sign-in, as Temporal Cloud's: a key set served over HTTP, and access tokens signed with it. */
async function startUiIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'ui-1', alg: 'RS256', use: 'sig' }] };
  let down = false;
  const server: Server = createServer((_req, res) => {
    if (down) return void res.writeHead(503).end();
    res.setHeader('content-type', 'application/json').end(JSON.stringify(keys));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = 'https://login.example.test';
  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    token: (email: string, opts: { key?: KeyLike; issuer?: string; expires?: boolean } = {}) => {
      const jwt = new SignJWT({ [cloudEmailClaim]: email })
        .setProtectedHeader({ alg: 'RS256', kid: 'ui-1' })
        .setIssuer(opts.issuer ?? issuer)
        .setIssuedAt();
      return (opts.expires === false ? jwt : jwt.setExpirationTime('5m')).sign(opts.key ?? privateKey);
    },
    /** While down, the key set is answered 503. */
    down: (isDown: boolean) => void (down = isDown),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What Temporal holds of a case is ciphertext (its history, its memo), while the
 * application works as before; operators read it decrypted through the codec
 * endpoint, from the CLI or the Temporal UI's origin, and nobody else does.
 */
describe('encrypted workflow payloads and the codec endpoint', () => {
  let stack: Stack;
  // Words that appear nowhere but in what people typed into this case.
  const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
  const title = marker('Bostotte i Gellerup');
  const revisedTitle = marker('Bostotte i Gellerup og Bispehaven');
  const comment = marker('Kommentar fra Bo');
  let proposalId = '';
  let history: temporal.api.history.v1.IHistory;
  let uiIssuer: Awaited<ReturnType<typeof startUiIssuer>>;

  beforeAll(async () => {
    uiIssuer = await startUiIssuer();
    stack = await startStack('encryption', { CODEC_JWKS_URL: uiIssuer.jwksUrl, CODEC_TOKEN_ISSUER: uiIssuer.issuer, CODEC_EMAIL_CLAIM: cloudEmailClaim });
  });
  afterAll(async () => {
    await stack?.stop();
    await uiIssuer?.close();
  });

  const workflowId = () => workflowIdFor(proposalId);
  const uiOrigin = () => stack.config.codec.corsOrigins[0];

  /** The history as Temporal stores it: read over gRPC without the codec. */
  async function rawHistory() {
    const { workflowService } = stack.client.connection;
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await workflowService.getWorkflowExecutionHistory({ namespace: stack.config.temporal.namespace, execution: { workflowId: workflowId() }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return { events };
  }

  const temporalCli = (...args: string[]) =>
    run(testServers().temporalCli, [
      'workflow',
      'show',
      '--address',
      stack.config.temporal.address,
      '--namespace',
      stack.config.temporal.namespace,
      '--workflow-id',
      workflowId(),
      '--output',
      'json',
      ...args,
    ]);

  it('keeps the case working: created, revised, submitted and voted on with a comment, through the API', async () => {
    const [sara, bo] = await Promise.all([stack.as('sara.secretariat'), stack.as('bo.member')]);
    const created = await sara.post('/api/proposals', { ...housingFirst, title });
    expect(created.status).toBe(201);
    proposalId = created.body.id;
    expect((await sara.put(`/api/proposals/${proposalId}`, { ...housingFirst, title: revisedTitle })).status).toBe(200);
    expect((await sara.post(`/api/proposals/${proposalId}/submit`)).status).toBe(200);
    const vote = await eventually(async () => {
      const open = (await bo.get('/api/tasks?assignee=me&status=open')).body.items.find((t: { proposalId: string }) => t.proposalId === proposalId);
      expect(open).toBeDefined();
      return open;
    });
    expect((await bo.post(`/api/tasks/${encodeURIComponent(vote.id)}/complete`, { decision: 'approve', comment })).status).toBe(200);
    const read = await sara.get(`/api/proposals/${proposalId}`);
    expect(read.body).toMatchObject({ proposal: { title: revisedTitle }, stage: 'CouncilDecision' });
    // Through the client with the codec, the memo reads as before: the revised title.
    expect((await stack.client.workflow.getHandle(workflowId()).describe()).memo).toEqual({ title: revisedTitle });
  });

  it('stores no word of it in clear in Temporal: every payload of the history and the memo is encrypted under the current key', async () => {
    history = await rawHistory();
    const stored = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const words of [title, revisedTitle, comment, 'sara.secretariat', 'bo.member']) expect(stored.includes(words)).toBe(false);
    const payloads = payloadsIn(JSON.parse(historyToJSON(history)));
    expect(payloads.length).toBeGreaterThan(20);
    // Only a local activity's marker keeps bookkeeping of the SDK's own in clear (sequence, activity type, times).
    const ours = payloads.filter((p) => !/markerRecordedEventAttributes\.details\.data\./.test(p.at));
    expect(ours.filter((p) => p.encoding !== 'binary/encrypted' || p.keyId !== 'test-histories-1')).toEqual([]);

    const { workflowExecutionInfo } = await stack.client.connection.workflowService.describeWorkflowExecution({
      namespace: stack.config.temporal.namespace,
      execution: { workflowId: workflowId() },
    });
    const memo = workflowExecutionInfo?.memo?.fields?.title;
    expect(Buffer.from(memo?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(memo?.data ?? []).includes(revisedTitle)).toBe(false);
    // Operators still find the case by its search attributes: they stay in clear and hold no personal data.
    const search = workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
    expect(Object.keys(search).sort()).toEqual(expect.arrayContaining(['FundingTrack', 'ProposalId', 'ProposalStage', 'RequestedAmountDKK', 'WelfareArea']));
    expect(Buffer.from(search.ProposalStage?.data ?? []).toString()).toBe('"CouncilDecision"');
  });

  // Before any other call to the codec endpoint: none has fetched the UI's key set yet.
  it("answers 503 to a token of the UI's sign-in while that sign-in cannot give its key set, and still decrypts for the application's own token", async () => {
    const decode = (token: string) => stack.request('POST', '/codec/decode', { body: { payloads: [] }, headers: { authorization: `Bearer ${token}` } });
    uiIssuer.down(true);
    try {
      const fromUi = await decode(await uiIssuer.token('it-drift@example.dk'));
      expect(fromUi).toMatchObject({ status: 503, body: { code: 'unavailable', params: { dependency: 'identityProvider' } } });
      expect(fromUi.headers.get('retry-after')).toBe('5');
      expect(await decode((await stack.as('ops')).token)).toMatchObject({ status: 200, body: { payloads: [] } });
      expect(await decode((await stack.as('sara.secretariat')).token)).toMatchObject({ status: 403, body: { code: 'needsRole' } });
    } finally {
      uiIssuer.down(false);
    }
    expect((await decode(await uiIssuer.token('it-drift@example.dk'))).status).toBe(200);
  });

  it('shows the history decrypted in `temporal workflow show` with the codec endpoint and an operator token, and not otherwise', async () => {
    const codec = ['--codec-endpoint', `${stack.api.url}/codec`];
    const [ops, sara] = await Promise.all([stack.as('ops'), stack.as('sara.secretariat')]);
    // What the CLI prints, its payloads' bytes read as text.
    const shown = async (...args: string[]) =>
      payloadsIn(JSON.parse((await temporalCli(...args)).stdout))
        .map((p) => `${p.encoding} ${p.text}`)
        .join('\n');
    const plain = await shown();
    expect(plain).toContain('binary/encrypted');
    expect(plain).not.toContain(title);
    const decoded = await shown(...codec, '--codec-auth', `Bearer ${ops.token}`);
    expect(decoded).not.toContain('binary/encrypted');
    for (const words of [title, revisedTitle, comment]) expect(decoded).toContain(words);
    // Refused by the codec endpoint, the CLI retries until its timeout and shows nothing.
    const refused = await temporalCli(...codec, '--codec-auth', `Bearer ${sara.token}`, '--command-timeout', '3s').catch((err: { code: number; stdout: string }) => err);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    // The look is on the access log under the case, once however many requests the CLI made, recorded before it was shown; the refused one is not.
    const reads = await stack.store.accessLog.find({ what: 'history', proposalId }).lean();
    expect(reads.map(({ userId, via, route }) => ({ userId, via, route }))).toEqual([{ userId: 'ops', via: 'codec', route: 'POST /codec/decode' }]);
    expect(await stack.store.accessLog.countDocuments({ what: 'history', userId: 'sara.secretariat' })).toBe(0);
  });

  describe('POST /codec/decode and /codec/encode', () => {
    const someEncrypted = () => JSON.parse(historyToJSON(history)).events[0].workflowExecutionStartedEventAttributes.input.payloads;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) => stack.request('POST', path, { body, headers });
    const bearer = async (userId: string) => ({ authorization: `Bearer ${(await stack.as(userId)).token}` });
    const decodedText = (res: { body: { payloads: { data: string }[] } }) => res.body.payloads.map((p) => Buffer.from(p.data, 'base64').toString()).join();

    it('decrypts for an operator, and encrypts what the operator sends under the current key', async () => {
      const decoded = await post('/codec/decode', { payloads: someEncrypted() }, await bearer('ops'));
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('cache-control')).toBe('no-store');
      expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(decodedText(decoded)).toContain(title);
      const encoded = await post('/codec/encode', { payloads: decoded.body.payloads }, await bearer('ops'));
      expect(Buffer.from(encoded.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('test-histories-1');
      expect(decodedText(await post('/codec/decode', encoded.body, await bearer('ops')))).toContain(title);
      // The CLI's look a moment ago is on the access log already: looking again within the window adds nothing.
      expect(await stack.store.accessLog.countDocuments({ what: 'history', userId: 'ops', proposalId })).toBe(1);
    });

    it('records nothing for a payload that was never encrypted, whatever case it names', async () => {
      const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"proposalId":"SIF-2099-999"}').toString('base64') };
      expect(await post('/codec/decode', { payloads: [plain] }, await bearer('ops'))).toMatchObject({ status: 200 });
      expect(await stack.store.accessLog.countDocuments({ what: 'history', proposalId: 'SIF-2099-999' })).toBe(0);
    });

    it('refuses everyone else: no token, a token of another role, a stale or altered payload', async () => {
      const noToken = await post('/codec/decode', { payloads: someEncrypted() });
      expect(noToken).toMatchObject({ status: 401, body: { code: 'bearerRequired' } });
      for (const userId of ['sara.secretariat', 'anne.chair']) {
        const other = await post('/codec/decode', { payloads: someEncrypted() }, await bearer(userId));
        expect(other).toMatchObject({ status: 403, body: { code: 'needsRole', params: { roles: ['operator'] } } });
        expect(JSON.stringify(other.body)).not.toContain(title);
      }
      const [payload] = someEncrypted();
      const unknownKey = { ...payload, metadata: { ...payload.metadata, 'encryption-key-id': Buffer.from('retired-key').toString('base64') } };
      expect(await post('/codec/decode', { payloads: [unknownKey] }, await bearer('ops'))).toMatchObject({
        status: 422,
        body: { code: 'payloadKeyUnknown', params: { keyId: 'retired-key' } },
      });
      const data = Buffer.from(payload.data, 'base64');
      data[data.length - 1] ^= 1;
      expect(await post('/codec/decode', { payloads: [{ ...payload, data: data.toString('base64') }] }, await bearer('ops'))).toMatchObject({
        status: 422,
        body: { code: 'payloadUndecipherable' },
      });
      const malformed = await post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, await bearer('ops'));
      expect(malformed).toMatchObject({ status: 400, body: { errors: [{ field: 'payloads.0.data' }] } });
    });

    it("answers the Temporal UI's preflight for its origin only, with credentials and the headers the UI sends", async () => {
      const preflight = (origin: string) =>
        stack.request('OPTIONS', '/codec/decode', {
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
        });
      const ui = await preflight(uiOrigin());
      expect(ui.status).toBe(204);
      expect(ui.headers.get('access-control-allow-origin')).toBe(uiOrigin());
      expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
      expect(ui.headers.get('access-control-allow-methods')).toContain('POST');
      expect(ui.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
      const elsewhere = await preflight('https://elsewhere.example');
      expect(elsewhere).toMatchObject({ status: 403, body: { code: 'originNotAllowed', params: { origin: 'https://elsewhere.example' } } });
      expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    });

    it("decrypts for an operator whose Temporal UI passes its own sign-in's access token, and for nobody else", async () => {
      const fromUi = async (token: string) => post('/codec/decode', { payloads: someEncrypted() }, { authorization: `Bearer ${token}`, origin: uiOrigin() });
      const decoded = await fromUi(await uiIssuer.token('it-drift@example.dk'));
      expect(decoded.status).toBe(200);
      expect(decodedText(decoded)).toContain(title);
      expect(await fromUi(await uiIssuer.token('sara.friis@example.dk'))).toMatchObject({ status: 403, body: { code: 'needsRole' } });
      // Nobody by that address, another issuer, another key, no expiry (good for ever): not the UI's sign-in, and no token of the application either.
      const { privateKey: stranger } = await generateKeyPair('RS256');
      for (const token of [
        await uiIssuer.token('nobody@example.dk'),
        await uiIssuer.token('it-drift@example.dk', { issuer: 'https://elsewhere.example' }),
        await uiIssuer.token('it-drift@example.dk', { key: stranger }),
        await uiIssuer.token('it-drift@example.dk', { expires: false }),
      ]) {
        expect(await fromUi(token)).toMatchObject({ status: 401, body: { code: 'tokenInvalid' } });
      }
    });

    it("decrypts for an operator's page session sent by the UI's origin, and for no other origin or person", async () => {
      const [ops, sara] = await Promise.all([pageVisitor(stack.api.url, 'ops'), pageVisitor(stack.api.url, 'sara.secretariat')]);
      const fromUi = (cookie: string, origin = uiOrigin()) =>
        post('/codec/decode', { payloads: someEncrypted() }, { cookie, origin, 'x-namespace': stack.config.temporal.namespace });
      const decoded = await fromUi(ops.cookie());
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('access-control-allow-origin')).toBe(uiOrigin());
      expect(decodedText(decoded)).toContain(title);
      expect(await fromUi(sara.cookie())).toMatchObject({ status: 403, body: { code: 'needsRole' } });
      expect(await fromUi(ops.cookie(), 'https://elsewhere.example')).toMatchObject({ status: 403, body: { code: 'originNotAllowed' } });
      // A cookie without an origin (not a browser on the UI's page) counts for nothing.
      expect(await post('/codec/decode', { payloads: someEncrypted() }, { cookie: ops.cookie() })).toMatchObject({ status: 401, body: { code: 'bearerRequired' } });
    });
  });
});
