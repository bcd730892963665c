// A real OpenID Connect provider (the `oidc-provider` package) for the tests
// of "Sign in with the school": server/tests/oidc.rs and end2end/tests/oidc.test.js.
//
//   OIDC_CLIENT_ID=academy OIDC_CLIENT_SECRET=s OIDC_REDIRECT_URI=http://127.0.0.1:3000/login/oidc/callback \
//     node end2end/oidc-provider.mjs [PORT]
//
// Listens on 127.0.0.1:PORT (argv, else OIDC_PORT, else a free port) and prints
// "ready <issuer>" once it does. Any login name with any password signs in
// (the built-in development login and consent pages); the login name IS the
// email: claims {sub, email, email_verified, name}, with email_verified false
// when the name starts with "unverified". PKCE is required of every client.
//
// Two confidential clients share the secret and the redirect URI:
//   OIDC_CLIENT_ID            ID tokens live an hour;
//   OIDC_CLIENT_ID-expiring   ID tokens live 1 s and the token endpoint holds
//                             its answer 2.5 s, so every ID token it hands
//                             out has expired on arrival (the relying party
//                             must refuse it).
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const clientId = process.env.OIDC_CLIENT_ID || 'academy';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'academy-test-secret';
const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!redirectUri) {
  console.error('OIDC_REDIRECT_URI is required (the relying party\'s /login/oidc/callback)');
  process.exit(2);
}
const expiringId = `${clientId}-expiring`;
const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const client = (client_id) => ({
  client_id,
  client_secret: clientSecret,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client(clientId), client(expiringId)],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scopes' claims in the ID token (not only at userinfo), as
  // Google and most school providers do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  ttl: {
    IdToken: (ctx, token, c) => (c?.clientId === expiringId ? 1 : 3600),
    AccessToken: 3600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: sub,
          email_verified: !sub.startsWith('unverified'),
          name: sub.split('@')[0],
        };
      },
    };
  },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.oidc?.client?.clientId === expiringId) {
    await sleep(2500);
  }
});

server.on('request', provider.callback());
console.log(`ready ${issuer}`);

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
