import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../config';
import { encryptedEncoding, keyIdMetadata, PayloadEncryption, PayloadKeyUnknown, PayloadUndecipherable } from '../../config/payloadCodec';
import { newPayloadKey, parsePayloadKeys } from '../../config/payloadKeys';
import { temporalDataConverter } from '../../config/temporal';

const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const codec = (keys: string) => new PayloadEncryption(parsePayloadKeys(keys));
const proposal = { title: 'Housing First for unge hjemløse', createdBy: 'sara.secretariat', email: 'sara@aarhus.dk' };

describe('the payload codec (AES-256-GCM, keys from PAYLOAD_KEYS)', () => {
  const old = newPayloadKey('k-2025');
  const current = newPayloadKey('k-2026');

  it('seals a whole payload under the first key, naming it, and opens it again', async () => {
    const plain = defaultPayloadConverter.toPayload(proposal);
    const [sealed] = await codec(`${current},${old}`).encode([plain]);
    expect(text(sealed.metadata?.encoding)).toBe(encryptedEncoding);
    expect(text(sealed.metadata?.[keyIdMetadata])).toBe('k-2026');
    // Neither the content nor the original metadata is readable: only the encoding and the key's id are.
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual(['encoding', keyIdMetadata]);
    expect(text(sealed.data)).not.toContain('Housing First');
    expect(text(sealed.data)).not.toContain('json/plain');
    const [opened] = await codec(`${current},${old}`).decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(proposal);
    expect(text(opened.metadata?.encoding)).toBe('json/plain');
  });

  it('seals the same value differently each time (a fresh IV per payload)', async () => {
    const plain = defaultPayloadConverter.toPayload(proposal);
    const [a, b] = await codec(current).encode([plain, plain]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('reads what an old key sealed once a new key is current and the old one kept; not once the old one is dropped', async () => {
    const [sealedBefore] = await codec(old).encode([defaultPayloadConverter.toPayload(proposal)]);
    const rotated = codec(`${current},${old}`);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealedBefore]))[0])).toEqual(proposal);
    const [sealedAfter] = await rotated.encode([defaultPayloadConverter.toPayload(proposal)]);
    expect(text(sealedAfter.metadata?.[keyIdMetadata])).toBe('k-2026');
    const error = await codec(current)
      .decode([sealedBefore])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadKeyUnknown);
    expect((error as PayloadKeyUnknown).keyId).toBe('k-2025');
  });

  it('refuses a payload that was altered, relabelled with another key id, or sealed under another key of the same id', async () => {
    const [sealed] = await codec(current).encode([defaultPayloadConverter.toPayload(proposal)]);
    const flipped = Buffer.from(sealed.data!);
    flipped[20] ^= 1;
    await expect(codec(current).decode([{ ...sealed, data: flipped }])).rejects.toThrow(PayloadUndecipherable);
    await expect(codec(current).decode([{ ...sealed, data: flipped.subarray(0, 10) }])).rejects.toThrow(PayloadUndecipherable);
    const relabelled: Payload = { ...sealed, metadata: { ...sealed.metadata, [keyIdMetadata]: Buffer.from('k-2025') } };
    await expect(codec(`${current},${old}`).decode([relabelled])).rejects.toThrow(PayloadUndecipherable);
    const impostor = newPayloadKey('k-2026');
    await expect(codec(impostor).decode([sealed])).rejects.toThrow(PayloadUndecipherable);
  });

  it('passes a payload that was never encrypted through unchanged', async () => {
    const plain = defaultPayloadConverter.toPayload({ stage: 'Motivation' });
    expect(await codec(current).decode([plain])).toEqual([plain]);
  });
});

describe("the application's data converter", () => {
  it("encrypts a failure's message and stack with the payloads, and gives them back to whoever holds the key", async () => {
    const converter = loadDataConverter(temporalDataConverter(loadConfig({ AUTH_JWT_SECRET: 'x', PAYLOAD_KEYS: newPayloadKey('k') })));
    const refusal = ApplicationFailure.create({ type: 'Conflict', message: 'Bo Lind wrote: the tenant in Gellerupparken is not eligible', details: [{ code: 'x' }] });
    const failure = await encodeErrorToFailure(converter, refusal);
    expect(failure.message).toBe('Encoded failure');
    const stored = Buffer.from(temporal.api.failure.v1.Failure.encode(failure).finish());
    expect(stored.includes('Gellerupparken')).toBe(false);
    expect(stored.includes('Conflict')).toBe(true); // the type stays readable: the API maps it to a status
    const back = await decodeOptionalFailureToOptionalError(converter, failure);
    expect(back).toBeInstanceOf(ApplicationFailure);
    expect(back).toMatchObject({ type: 'Conflict', message: refusal.message, details: [{ code: 'x' }] });
  });
});

describe('PAYLOAD_KEYS', () => {
  const local = { AUTH_JWT_SECRET: 'a-local-secret' };

  it('lists keys as <id>:<base64 of 32 bytes>, the first the current one', () => {
    const [a, b] = [newPayloadKey('a'), newPayloadKey('b.2')];
    const keys = loadConfig({ ...local, PAYLOAD_KEYS: ` ${a} , ${b}` }).temporal.payloadKeys!;
    expect(keys.map((k) => k.id)).toEqual(['a', 'b.2']);
    expect(keys.map((k) => k.key.length)).toEqual([32, 32]);
    expect(loadConfig(local).temporal.payloadKeys).toBeUndefined();
  });

  it('stops the process naming the bad entry, never repeating the key itself', () => {
    const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
    const load = (keys: string) => () => loadConfig({ ...local, PAYLOAD_KEYS: keys });
    expect(load(short)).toThrow(/PAYLOAD_KEYS key k1: expected 32 bytes in standard base64/);
    expect(load(short)).not.toThrow(new RegExp(Buffer.alloc(16, 7).toString('base64').slice(0, 8)));
    expect(load(Buffer.alloc(32).toString('base64'))).toThrow(/PAYLOAD_KEYS entry 1: expected <id>:<base64 key>/);
    expect(load(`${newPayloadKey('k')},${newPayloadKey('k')}`)).toThrow(/names key k twice/);
    expect(load('k:not base64!')).toThrow(/PAYLOAD_KEYS key k/);
  });
});

describe("the codec endpoint's settings", () => {
  const local = { AUTH_JWT_SECRET: 'a-local-secret' };

  it("lets the Temporal UI's origin call it from the browser, by default the origin of TEMPORAL_UI_URL", () => {
    expect(loadConfig(local).codec.corsOrigins).toEqual(['http://localhost:8233']);
    expect(loadConfig({ ...local, TEMPORAL_UI_URL: 'https://temporal.aarhus.dk/ui' }).codec.corsOrigins).toEqual(['https://temporal.aarhus.dk']);
    expect(loadConfig({ ...local, CODEC_CORS_ORIGINS: 'https://cloud.temporal.io, http://localhost:8233' }).codec.corsOrigins).toEqual([
      'https://cloud.temporal.io',
      'http://localhost:8233',
    ]);
    expect(() => loadConfig({ ...local, CODEC_CORS_ORIGINS: 'https://cloud.temporal.io/namespaces' })).toThrow(/is not an origin/);
  });

  it("accepts the UI's own sign-in only when its key set is configured, naming the person by the e-mail claim", () => {
    expect(loadConfig(local).codec.uiTokens).toBeUndefined();
    const cloud = { CODEC_JWKS_URL: 'https://login.tmprl.cloud/.well-known/jwks.json', CODEC_EMAIL_CLAIM: 'https://saas-api.tmprl.cloud/user/email' };
    expect(loadConfig({ ...local, ...cloud }).codec.uiTokens).toEqual({ jwksUrl: cloud.CODEC_JWKS_URL, emailClaim: cloud.CODEC_EMAIL_CLAIM });
    expect(() => loadConfig({ ...local, CODEC_JWKS_URL: 'login.tmprl.cloud' })).toThrow(/CODEC_JWKS_URL/);
  });
});
