import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverProvider } from '../../../auth-server/src/oidc/discovery';

describe('discoverProvider', () => {
  let server: Server;
  let base: string;
  let named: (base: string) => string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ issuer: named(base), authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks` }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('returns the endpoints, with the issuer spelled as the provider spells it (trailing slash included)', async () => {
    named = (issuer) => `${issuer}/`;
    await expect(discoverProvider(base)).resolves.toMatchObject({ issuer: `${base}/`, token_endpoint: `${base}/token` });
  });

  it('refuses a discovery document that names another issuer (Discovery 1.0 §4.3)', async () => {
    named = () => 'https://other-issuer.example';
    await expect(discoverProvider(base)).rejects.toThrow('names issuer https://other-issuer.example');
  });
});
