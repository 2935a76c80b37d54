// A real OpenID Connect issuer for the sign-in test: panva's oidc-provider (certified),
// with its development login screen (any login name, any password) and one client.
// Usage: node oidcIssuer.mjs <port> <client id> <client secret> <redirect uri>
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id }) };
  },
  pkce: { required: () => true },
  cookies: { keys: ['oidc-test-only'] },
  features: { devInteractions: { enabled: true } },
});
provider.on('server_error', (_ctx, err) => console.error(err));
// `PUT /test/token-outage` with `on` or `off`: the token endpoint answers 503 meanwhile, as an issuer in trouble does.
let tokenOutage = false;
provider.use(async (ctx, next) => {
  if (ctx.method === 'PUT' && ctx.path === '/test/token-outage') {
    tokenOutage =
      (await new Promise((resolve) => {
        let body = '';
        ctx.req.on('data', (chunk) => (body += chunk));
        ctx.req.on('end', () => resolve(body));
      })) === 'on';
    ctx.status = 204;
    return;
  }
  if (tokenOutage && ctx.path === '/token') {
    ctx.status = 503;
    ctx.body = 'down for maintenance';
    return;
  }
  await next();
});
const server = provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
