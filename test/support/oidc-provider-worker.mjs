// A real OpenID Connect provider (oidc-provider) for the tests, run in a worker thread of the test
// process: oidc-provider is ESM-only and Jest's CommonJS module loader cannot load it, a worker's
// own Node loader can. Plain JavaScript for the same reason (no ts-jest in a worker).
// Driven by test/support/oidc-provider.ts; see there for the messages.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import Provider from 'oidc-provider';

const { clientId, clientSecret, redirectUri, users, idTokenCarriesClaims } = workerData;

function signingKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact RS256 JWT, as the provider would sign it with `key`. */
function signJwt(claims, key) {
  const signed = `${base64url({ alg: 'RS256', kid: key.jwk.kid })}.${base64url(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

const providerKey = signingKey('provider-key');
const foreignKey = signingKey('provider-key');

/** What the tests ask the token endpoint to change in the next ID tokens, or null. */
let idTokenTamper = null;
/** Requests served, by path: the tests check who contacted the provider. */
const requests = {};

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_post' }],
  jwks: { keys: [providerKey.jwk] },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email', 'email_verified'] },
  // false puts the scope's claims in the ID token as well as userinfo (how Keycloak's mappers are usually set).
  conformIdTokenClaims: !idTokenCarriesClaims,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['test-provider-cookie-key'] },
  findAccount: (_ctx, sub) => {
    const user = users.find((candidate) => candidate.sub === sub);
    return user && { accountId: sub, claims: () => ({ ...user }) };
  },
  // A first-party client: consent is implied, as with Keycloak's "Consent required: off".
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
});

// Rewrites the token endpoint's ID token when a test asked for it: claims changed but still signed
// with the provider's key (so only the claim checks can catch it), or signed with a foreign key.
provider.use(async (ctx, next) => {
  await next();
  if (!idTokenTamper || ctx.path !== '/token' || !ctx.body?.id_token) return;
  const claims = { ...JSON.parse(Buffer.from(ctx.body.id_token.split('.')[1], 'base64url').toString()), ...idTokenTamper.claims };
  for (const [name, value] of Object.entries(claims)) if (value === null) delete claims[name];
  ctx.body = { ...ctx.body, id_token: signJwt(claims, idTokenTamper.foreignKey ? foreignKey : providerKey) };
});

const handle = provider.callback();
server.on('request', (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  requests[path] = (requests[path] ?? 0) + 1;
  handle(req, res);
});

parentPort.on('message', async (message) => {
  if (message.type === 'tamper') idTokenTamper = message.tamper;
  if (message.type === 'close') {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  parentPort.postMessage({ id: message.id, requests });
});

parentPort.postMessage({ type: 'ready', issuer });
