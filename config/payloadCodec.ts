import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from './payloadKeys';

/** The encoding an encrypted payload declares, and the metadata naming its key (as Temporal's samples name them). */
export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';

const ivBytes = 12;
const tagBytes = 16;
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
/** The encoding a payload declares (`json/plain`, `binary/encrypted`). */
export const encodingOf = (payload: Payload) => text(payload.metadata?.[METADATA_ENCODING_KEY]);

/** A payload encrypted under a key this process was not given (PAYLOAD_KEYS lacks it). */
export class PayloadKeyUnknown extends ValueError {
  constructor(readonly keyId: string) {
    super(`the payload was encrypted with key ${keyId}, which is not in PAYLOAD_KEYS`);
  }
}

/** A payload that does not decrypt: altered, cut short, or sealed under another key of the same id. */
export class PayloadUndecipherable extends ValueError {
  constructor() {
    super('the payload does not decrypt under its key: it was altered or the key is not the one it was sealed with');
  }
}

/**
 * AES-256-GCM over whole payloads (their metadata included), between the SDK's JSON and
 * the wire: what Temporal stores (histories, memos, Update arguments, query and activity
 * results, failures' messages) is ciphertext. The first key encrypts; every key decrypts
 * what was sealed under its id, so a rotated key is kept to read old histories. Payloads
 * that are not encrypted pass through: search attributes never come here, and the codec
 * endpoint may be handed a payload that was never encoded.
 */
export class PayloadEncryption implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: PayloadKey[]) {
    if (!keys.length) throw new Error('PayloadEncryption needs at least one key');
    this.current = keys[0];
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (encodingOf(payload) === encryptedEncoding ? this.open(payload) : payload));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too: a payload relabelled with another id does not open.
    cipher.setAAD(Buffer.from(id));
    const sealed = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding), [keyIdMetadata]: Buffer.from(id) },
      data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
    };
  }

  private open(payload: Payload): Payload {
    const id = text(payload.metadata?.[keyIdMetadata]);
    if (!id) throw new PayloadUndecipherable();
    const key = this.keys.get(id);
    if (!key) throw new PayloadKeyUnknown(id);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < ivBytes + tagBytes) throw new PayloadUndecipherable();
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(data.length - tagBytes));
      const plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadUndecipherable();
    }
  }
}
