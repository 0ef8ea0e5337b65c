import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Keyring } from '../../auth-server/src/keys/keyring';

/** Attack tokens: what an attacker can build from a token they hold and our published public key. */

type Json = Record<string, unknown>;

const encode = (part: Json) => Buffer.from(JSON.stringify(part)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json;

export const headerOf = (token: string): Json => decode(token.split('.')[0]);
export const claimsOf = (token: string): Json => decode(token.split('.')[1]);

function compact(header: Json, payload: Json, signature: (signingInput: string) => string): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${signature(signingInput)}`;
}

const rs256 = (key: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), key).toString('base64url');

/** The token with some claims changed and its original signature kept. */
export function tamperedToken(token: string, changes: Json): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encode({ ...claimsOf(token), ...changes })}.${signature}`;
}

/** The same claims under `alg: none` with our `kid`, no signature. */
export const unsignedToken = (token: string): string =>
  compact({ ...headerOf(token), alg: 'none' }, claimsOf(token), () => '');

/** Algorithm confusion: HS256 with our public key's PEM as the HMAC secret. */
export function hs256WithPublicKey(token: string, keyring: Keyring): string {
  const pem = keyring.current.publicKey.export({ format: 'pem', type: 'spki' });
  return compact({ ...headerOf(token), alg: 'HS256' }, claimsOf(token), (input) => createHmac('sha256', pem).update(input).digest('base64url'));
}

let foreignKey: KeyObject | undefined;
/** A well-formed RS256 token from someone else's key; it reuses our `kid` unless told otherwise. */
export function signedWithForeignKey(token: string, changes: Json = {}, kid = headerOf(token).kid): string {
  foreignKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return compact({ ...headerOf(token), kid }, { ...claimsOf(token), ...changes }, rs256(foreignKey));
}

/** Re-signed with our own private key: for claims our code must check beyond the signature. */
export const resignedWithOurKey = (token: string, keyring: Keyring, changes: Json): string =>
  compact(headerOf(token), { ...claimsOf(token), ...changes }, rs256(keyring.current.privateKey));
