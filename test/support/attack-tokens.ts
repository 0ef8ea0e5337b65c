import { constants, createHmac, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Keyring } from '../../auth-server/src/keys/keyring';
import { claimsOf, hs256WithPublicKey, headerOf, resignedWithOurKey, signedWithForeignKey, tamperedToken, unsignedToken } from './forge';

/** The attacks forge.ts does not build: header tricks, other algorithms, keys the attacker advertises. */

type Json = Record<string, unknown>;
type Signer = (signingInput: string) => string;

const segment = (part: Json) => Buffer.from(JSON.stringify(part)).toString('base64url');

export function compactToken(header: Json, payload: Json, signer: Signer): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${signer(input)}`;
}

const hmac = (secret: string | Buffer): Signer => (input) => createHmac('sha256', secret).update(input).digest('base64url');
const rsa = (key: KeyObject, hash: 'sha256' | 'sha512'): Signer => (input) => sign(hash, Buffer.from(input), key).toString('base64url');
const pss = (key: KeyObject): Signer => (input) => sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64url');
const ecdsa = (key: KeyObject): Signer => (input) => sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');

/** The attacker's own keys; its public half is what it advertises in `jwk`, `jku`, `x5u` and `x5c`. */
export const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attackerEcKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const ATTACKER_KID = 'attacker-key-1';
export const attackerJwk = { ...attackerKey.publicKey.export({ format: 'jwk' }), kid: ATTACKER_KID, use: 'sig', alg: 'RS256' };

/** A server that would hand out the attacker's keys; the test checks that nobody ever asked. */
export interface KeyBait {
  url: string;
  hits(): number;
  close(): Promise<void>;
}

export async function serveKeyBait(): Promise<KeyBait> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [attackerJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Forgery {
  name: string;
  token: string;
}

/**
 * Every forgery of `token` (one of ours, unspent) an attacker could try, plus the claim checks that
 * need our own key to reach. Each must be refused wherever a token of that type is accepted.
 */
export function forgeriesOf(token: string, keyring: Keyring, baitUrl: string, nowSeconds: number): Forgery[] {
  const header = headerOf(token);
  const claims = claimsOf(token);
  const ourKid = keyring.current.kid;
  const attackerSigned = (extraHeader: Json, kid: string | undefined = ourKid) =>
    compactToken({ ...header, kid, ...extraHeader }, claims, rsa(attackerKey.privateKey, 'sha256'));
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const pkcs1Pem = keyring.current.publicKey.export({ format: 'pem', type: 'pkcs1' });
  const modulus = String(keyring.current.publicKey.export({ format: 'jwk' }).n);
  const attackerDer = createPublicKey(attackerKey.privateKey).export({ format: 'der', type: 'spki' }).toString('base64');

  return [
    { name: 'alg none, no signature', token: unsignedToken(token) },
    { name: 'alg "NONE", no signature', token: compactToken({ ...header, alg: 'NONE' }, claims, () => '') },
    { name: 'alg none, original signature kept', token: `${segment({ ...header, alg: 'none' })}.${payloadPart}.${signaturePart}` },
    { name: 'HS256 with our public key (SPKI PEM) as the secret', token: hs256WithPublicKey(token, keyring) },
    { name: 'HS256 with our public key (PKCS#1 PEM) as the secret', token: compactToken({ ...header, alg: 'HS256' }, claims, hmac(pkcs1Pem)) },
    { name: 'HS256 with our JWK modulus as the secret', token: compactToken({ ...header, alg: 'HS256' }, claims, hmac(modulus)) },
    { name: 'HS256 with an empty secret and kid /dev/null', token: compactToken({ ...header, alg: 'HS256', kid: '/dev/null' }, claims, hmac(Buffer.alloc(0))) },
    { name: 'a foreign RSA key with our kid', token: signedWithForeignKey(token) },
    { name: 'a foreign key, kid ../../etc/passwd', token: signedWithForeignKey(token, {}, '../../etc/passwd') },
    { name: "a foreign key, kid ' OR 1=1 --", token: signedWithForeignKey(token, {}, "' OR 1=1 --") },
    { name: 'a foreign key, kid naming our key file', token: signedWithForeignKey(token, {}, `../signing-keys/${ourKid}.pem`) },
    { name: 'a foreign key, kid __proto__', token: signedWithForeignKey(token, {}, '__proto__') },
    { name: 'our own signature under kid ../../etc/passwd', token: compactToken({ ...header, kid: '../../etc/passwd' }, claims, rsa(keyring.current.privateKey, 'sha256')) },
    { name: 'a foreign key, kid as an object', token: compactToken({ ...header, kid: { $ne: null } }, claims, rsa(attackerKey.privateKey, 'sha256')) },
    { name: 'jwk header: attacker key embedded, our kid', token: attackerSigned({ jwk: attackerJwk }) },
    { name: 'jwk header: attacker key embedded, no kid', token: attackerSigned({ jwk: attackerJwk }, undefined) },
    { name: 'jku header: attacker JWKS URL, attacker kid', token: attackerSigned({ jku: `${baitUrl}/jwks.json` }, ATTACKER_KID) },
    { name: 'jku header: attacker JWKS URL, our kid', token: attackerSigned({ jku: `${baitUrl}/jwks.json` }) },
    { name: 'x5u header: attacker certificate URL', token: attackerSigned({ x5u: `${baitUrl}/cert.pem` }, ATTACKER_KID) },
    { name: 'x5c header: attacker key inline', token: attackerSigned({ x5c: [attackerDer] }) },
    { name: 'RS512 signed with our own key', token: compactToken({ ...header, alg: 'RS512' }, claims, rsa(keyring.current.privateKey, 'sha512')) },
    { name: 'PS256 signed with our own key', token: compactToken({ ...header, alg: 'PS256' }, claims, pss(keyring.current.privateKey)) },
    { name: 'ES256 from a foreign EC key with our kid', token: compactToken({ ...header, alg: 'ES256' }, claims, ecdsa(attackerEcKey.privateKey)) },
    { name: 'signature stripped', token: `${headerPart}.${payloadPart}.` },
    { name: 'signature and its dot stripped', token: `${headerPart}.${payloadPart}` },
    { name: 'a fourth segment appended', token: `${token}.${signaturePart}` },
    { name: 'whitespace inside the token', token: `${headerPart}. ${payloadPart}.${signaturePart}` },
    { name: 'payload tampered (can edit, another user), signature kept', token: tamperedToken(token, { canEditResource: true, username: 'admin', sub: '1' }) },
    { name: 'lifetime stretched, signature kept', token: tamperedToken(token, { exp: nowSeconds + 10 * 365 * 86400 }) },
    { name: 'expired (signed with our key)', token: resignedWithOurKey(token, keyring, { iat: nowSeconds - 7200, exp: nowSeconds - 1 }) },
    { name: 'not yet valid: nbf in the future (signed with our key)', token: resignedWithOurKey(token, keyring, { nbf: nowSeconds + 3600 }) },
    { name: 'another issuer (signed with our key)', token: resignedWithOurKey(token, keyring, { iss: 'https://evil.example/auth' }) },
    { name: 'no issuer (signed with our key)', token: resignedWithOurKey(token, keyring, { iss: undefined }) },
    { name: 'an unknown type (signed with our key)', token: resignedWithOurKey(token, keyring, { type: 'id' }) },
    { name: 'no type (signed with our key)', token: resignedWithOurKey(token, keyring, { type: undefined }) },
    { name: 'no jti (signed with our key)', token: resignedWithOurKey(token, keyring, { jti: undefined }) },
  ];
}
