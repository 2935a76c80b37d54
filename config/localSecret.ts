import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { newPayloadKey } from './payloadKeys';

/** Where local runs keep their generated signing secret (git-ignored, never in code). */
export const localSecretFile = resolve(__dirname, '../.data/local-jwt-secret');

/**
 * The HS256 secret for local runs: AUTH_JWT_SECRET if set, else one generated on
 * first start and kept under .data/, so `npm run token` signs what `npm start` accepts.
 */
export function localJwtSecret(env: NodeJS.ProcessEnv = process.env, create = true): string | undefined {
  if (env.AUTH_JWT_SECRET) return env.AUTH_JWT_SECRET;
  if (existsSync(localSecretFile)) return readFileSync(localSecretFile, 'utf8').trim();
  if (!create) return undefined;
  mkdirSync(dirname(localSecretFile), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(localSecretFile, secret, { mode: 0o600 });
  return secret;
}

/**
 * PAYLOAD_KEYS for local runs: PAYLOAD_KEYS if set, else a key generated on first start
 * and kept in the data folder beside Temporal's own state, whose histories only it opens.
 * To rotate it locally, put a new key in front of the old one in that file.
 */
export function localPayloadKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAYLOAD_KEYS) return env.PAYLOAD_KEYS;
  const file = join(dataDir, 'local-payload-keys');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const keys = newPayloadKey(`local-${Date.now().toString(36)}`);
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}
