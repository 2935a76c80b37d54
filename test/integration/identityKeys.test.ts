import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type KeyLike } from 'jose';
import { identityKeys } from '../../api/identityKeys';
import { keySetUnavailable } from '../../api/dependencies';

/** The identity provider's keys through its outage, served by a real HTTP peer on loopback. */
describe("the identity provider's signing keys", () => {
  let server: Server;
  let url: string;
  /** What the provider publishes; undefined: it answers 503, as during its maintenance. */
  let published: JWK[] | undefined;
  const pairs: Record<string, { privateKey: KeyLike; jwk: JWK }> = {};

  beforeAll(async () => {
    for (const kid of ['k1', 'k2']) {
      const pair = await generateKeyPair('RS256');
      pairs[kid] = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
    }
    server = createServer((_req, res) =>
      published ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published })) : res.writeHead(503).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const token = (kid: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject('msb.head').setExpirationTime('5m').sign(pairs[kid].privateKey);
  const stale = () => new Promise((resolve) => setTimeout(resolve, 60));

  it('still verifies with the keys last fetched while the provider is down, and takes a withdrawn key away once it answers', async () => {
    const keys = identityKeys(url, { freshForMs: 50, askAgainAfterMs: 200 });
    published = [pairs.k1.jwk];
    expect((await jwtVerify(await token('k1'), keys)).payload.sub).toBe('msb.head');

    // Down, and the keys past their ten minutes (here 50 ms): the token it signed before is still good, and for the next half minute (here 200 ms) the provider is not waited for.
    published = undefined;
    await stale();
    expect((await jwtVerify(await token('k1'), keys)).payload.sub).toBe('msb.head');
    // A key never fetched cannot be had meanwhile: an outage (503), not a bad token (401).
    const unknown = await jwtVerify(await token('k2'), keys).catch((err: unknown) => err);
    expect(keySetUnavailable(unknown)).toBe(true);

    // Back, having withdrawn k1 for k2: k1 is refused as soon as the provider is asked again.
    published = [pairs.k2.jwk];
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await jwtVerify(await token('k2'), keys)).payload.sub).toBe('msb.head');
    const withdrawn = await jwtVerify(await token('k1'), keys).catch((err: unknown) => err);
    expect(withdrawn).toBeInstanceOf(Error);
    expect(keySetUnavailable(withdrawn)).toBe(false);
  });

  it('uses the last keys alone for at most a day after the provider last confirmed them (here 300 ms)', async () => {
    const keys = identityKeys(url, { freshForMs: 50, askAgainAfterMs: 50, lastKeysForMs: 300 });
    published = [pairs.k1.jwk];
    await jwtVerify(await token('k1'), keys);
    published = undefined;
    await stale();
    expect((await jwtVerify(await token('k1'), keys)).payload.sub).toBe('msb.head');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const tooLong = await jwtVerify(await token('k1'), keys).catch((err: unknown) => err);
    expect(keySetUnavailable(tooLong)).toBe(true);
  });

  it('answers an outage when the provider was never reached', async () => {
    published = undefined;
    const err = await jwtVerify(await token('k1'), identityKeys(url)).catch((e: unknown) => e);
    expect(keySetUnavailable(err)).toBe(true);
  });
});
