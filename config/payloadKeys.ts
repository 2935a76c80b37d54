import { randomBytes } from 'node:crypto';

/**
 * An AES-256 key for workflow payloads, named by the id that is written beside every
 * payload it encrypts, so a payload always says which key opens it.
 */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

const keyBytes = 32;
const idPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * PAYLOAD_KEYS: `<id>:<base64 of 32 bytes>` entries separated by commas. The first
 * encrypts everything new; the others are kept only to read what they encrypted.
 */
export function parsePayloadKeys(text: string): PayloadKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) throw new Error('PAYLOAD_KEYS holds no key');
  const keys = entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    // The key itself is never repeated in the message: it may be a real one mistyped.
    if (!idPattern.test(id)) throw new Error(`PAYLOAD_KEYS entry ${i + 1}: expected <id>:<base64 key>, the id of letters, digits, '.', '_' or '-' (at most 64)`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== keyBytes || key.toString('base64') !== encoded) throw new Error(`PAYLOAD_KEYS key ${id}: expected ${keyBytes} bytes in standard base64`);
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`PAYLOAD_KEYS names key ${twice} twice`);
  return keys;
}

/** A new random key as a PAYLOAD_KEYS entry. */
export function newPayloadKey(id: string): string {
  if (!idPattern.test(id)) throw new Error(`invalid payload key id ${JSON.stringify(id)}`);
  return `${id}:${randomBytes(keyBytes).toString('base64')}`;
}
