import { loadConfig } from '../config';
import { localJwtSecret } from '../config/localSecret';
import { signLocalToken } from './auth';

/** `npm run token -- <userId>`: a bearer token for a seeded user, for local runs only. */
async function main() {
  const userId = process.argv[2];
  const secret = localJwtSecret(process.env, false);
  if (!secret) {
    console.error('No local signing secret yet: run `npm start` once (or set AUTH_JWT_SECRET).');
    process.exit(2);
  }
  const config = loadConfig({ ...process.env, AUTH_JWT_SECRET: secret });
  const user = config.people.users.find((u) => u.id === userId);
  if (!user) {
    console.error(`Usage: npm run token -- <userId>\nSeeded users:\n${config.people.users.map((u) => `  ${u.id.padEnd(20)} ${u.roles.join(', ')}`).join('\n')}`);
    process.exit(2);
  }
  process.stdout.write(`${await signLocalToken(secret, user.id)}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
