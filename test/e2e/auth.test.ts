import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { freePort } from '../../provision/servers';
import { startStack, type Stack } from '../support/stack';

/**
 * Production signs in through an OIDC provider: tokens are verified against the
 * issuer's published keys (JWKS), here served by a real HTTP peer on loopback.
 */
describe('authentication with an OIDC issuer', () => {
  let stack: Stack;
  let jwks: Server;
  let privateKey: KeyLike;
  /** The issuer's key set server answering 503, as during an outage of the identity provider. */
  let keysDown = false;
  const issuer = 'https://login.example.dk/realms/aarhus';
  const audience = 'social-investment-fund';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const port = await freePort();
    jwks = createServer((_req, res) =>
      keysDown ? res.writeHead(503).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })),
    );
    await new Promise<void>((r) => jwks.listen(port, '127.0.0.1', () => r()));
    stack = await startStack('auth', {
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    jwks?.close();
  });

  /** `exp: null`: a token that never expires. */
  const token = (sub: string, claims: { iss?: string; aud?: string; exp?: string | null } = {}) => {
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(sub)
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt();
    return (claims.exp === null ? jwt : jwt.setExpirationTime(claims.exp ?? '5m')).sign(privateKey);
  };

  // First: the API has not fetched the key set yet, so it must now.
  it('answers 503 with Retry-After, not 401, while the issuer cannot give its key set, and accepts the token once it can', async () => {
    keysDown = true;
    try {
      const res = await stack.request('GET', '/api/me', { token: await token('msb.head') });
      expect([res.status, res.headers.get('retry-after'), res.body]).toEqual([
        503,
        '5',
        expect.objectContaining({ code: 'unavailable', params: { dependency: 'identityProvider' } }),
      ]);
    } finally {
      keysDown = false;
    }
    expect((await stack.request('GET', '/api/me', { token: await token('msb.head') })).status).toBe(200);
  });

  it("accepts the issuer's token and takes the roles from the user record", async () => {
    const res = await stack.request('GET', '/api/me', { token: await token('msb.head') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'msb.head', roles: ['department'], department: 'MSB' });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.com' }],
    ['another audience', { aud: 'some-other-app' }],
    ['an expired token', { exp: '1s ago' }],
    ['a token that never expires', { exp: null }],
  ])('refuses %s with 401', async (_what, claims) => {
    const res = await stack.request('GET', '/api/me', { token: await token('msb.head', claims) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('refuses a valid token for someone who is not a user here', async () => {
    const res = await stack.request('GET', '/api/me', { token: await token('stranger') });
    expect(res.status).toBe(403);
  });

  it('lets the administrator manage people, and only the administrator', async () => {
    const admin = await token('hr.admin');
    const newMember = { id: 'dorte.member', name: 'Dorte Berg', email: 'dorte.berg@example.dk', roles: ['councilMember'] };
    expect((await stack.request('POST', '/api/users', { token: await token('bo.member'), body: newMember })).status).toBe(403);
    expect((await stack.request('POST', '/api/users', { token: await token('sara.secretariat'), body: newMember })).status).toBe(403);

    const created = await stack.request('POST', '/api/users', { token: admin, body: newMember });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'dorte.member', active: true });
    // Added again as on record, it is the same addition; another person under the id is refused.
    expect((await stack.request('POST', '/api/users', { token: admin, body: newMember })).status).toBe(201);
    expect((await stack.request('POST', '/api/users', { token: admin, body: { ...newMember, roles: ['secretariat'] } })).body).toMatchObject({ status: 409, code: 'userExists' });

    const noDepartment = await stack.request('POST', '/api/users', {
      token: admin,
      body: { id: 'x.head', name: 'X', email: 'x@example.dk', roles: ['department'] },
    });
    expect(noDepartment.status).toBe(400);
    expect(noDepartment.body.errors[0].field).toBe('department');

    // A member who leaves the council can no longer sign in.
    const retired = await stack.request('PUT', '/api/users/bo.member', { token: admin, body: { active: false } });
    expect(retired.status).toBe(200);
    expect((await stack.request('GET', '/api/me', { token: await token('bo.member') })).status).toBe(403);
    const list = await stack.request('GET', '/api/users', { token: await token('sara.secretariat') });
    expect(list.body.items.find((u: { id: string }) => u.id === 'dorte.member')).toMatchObject({ roles: ['councilMember'] });
  });
});
