import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { api, bodyOf, generateToken } from '../support/api';
import { headerOf } from '../support/forge';
import { useTestApp } from '../support/test-app';

const t = useTestApp();

describe('GET /healthz', () => {
  it('answers 200 without any token', async () => {
    const res = await api(t).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the RS256 public key that signs our tokens, named by their kid, of at least 2048 bits', async () => {
    const res = await api(t).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const kid = headerOf(await generateToken(t)).kid;
    const key = (bodyOf(res).keys as Array<Record<string, string>>).find((candidate) => candidate.kid === kid);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(createPublicKey({ key: key as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
  });

  it('holds no private key material', async () => {
    const res = await api(t).get('/.well-known/jwks.json');
    for (const key of bodyOf(res).keys as object[]) for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(part);
  });
});
