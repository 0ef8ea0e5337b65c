import { exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignInNotVerified } from '../../../auth-server/src/oidc/errors';
import { issuerKeys, verifyIdToken } from '../../../auth-server/src/oidc/id-token';

const ISSUER = 'https://id.example.org';
const CLIENT = 'pacsgate';
const NOW = 1_800_000_000;

let server: Server;
let jwksUrl: string;
let published: { status: number; body: string };
let providerKey: KeyLike;
let foreignKey: KeyLike;

beforeAll(async () => {
  const provider = await generateKeyPair('RS256');
  providerKey = provider.privateKey;
  foreignKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(provider.publicKey)), kid: 'k1', use: 'sig' };
  published = { status: 200, body: JSON.stringify({ keys: [jwk] }) };
  server = createServer((_req, res) => res.writeHead(published.status, { 'content-type': 'application/json' }).end(published.body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const sign = (key: KeyLike, claims: Record<string, unknown> = {}, kid = 'k1') =>
  new SignJWT({ sub: 'alice', iss: ISSUER, aud: CLIENT, iat: NOW, exp: NOW + 300, ...claims }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
const verify = (token: string) => verifyIdToken(token, issuerKeys(jwksUrl), { issuer: ISSUER, clientId: CLIENT, nowSeconds: NOW });

it('returns the claims of an ID token signed with a key the provider publishes', async () => {
  await expect(verify(await sign(providerKey))).resolves.toMatchObject({ sub: 'alice', iss: ISSUER, aud: CLIENT });
});

it.each([
  ['signed with a foreign key', () => sign(foreignKey), 'invalid signature'],
  ['naming a key the provider does not publish', () => sign(providerKey, {}, 'k2'), 'a key the provider does not publish'],
  ['unsigned (alg none)', () => Promise.resolve(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', iss: ISSUER, aud: CLIENT, exp: NOW + 300 })).toString('base64url')}.`), 'asymmetric'],
  ['for another client', () => sign(providerKey, { aud: 'someone-else' }), 'aud'],
  ['expired past the minute of tolerance', () => sign(providerKey, { exp: NOW - 61 }), 'exp'],
])('refuses an ID token %s as not verified', async (_, token, reason) => {
  const refusal = await verify(await token()).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(SignInNotVerified);
  expect((refusal as SignInNotVerified).reason).toContain(reason);
});

it('blames the provider, not the token, when its key set cannot be fetched', async () => {
  published = { ...published, status: 500 };
  try {
    const failure = await verify(await sign(providerKey)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(SignInNotVerified);
  } finally {
    published = { ...published, status: 200 };
  }
});
