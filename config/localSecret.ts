import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
