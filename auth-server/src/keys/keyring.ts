import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../secrets/secret-file';

export const SIGNING_ALGORITHM = 'RS256';
const MIN_MODULUS_BITS = 2048;
export const CURRENT_FILE = 'current';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export class KeyringError extends Error {}

/** RFC 7638 thumbprint: a `kid` that names the key itself, stable across restarts. */
function thumbprint(publicKey: KeyObject): string {
  const { e, kty, n } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

function readSigningKey(path: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path));
  } catch {
    throw new KeyringError(`signing key ${path} is not a readable PEM private key`);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (privateKey.asymmetricKeyType !== 'rsa' || bits < MIN_MODULUS_BITS) {
    throw new KeyringError(`signing key ${path} must be RSA of at least ${MIN_MODULUS_BITS} bits`);
  }
  const publicKey = createPublicKey(privateKey);
  return { kid: thumbprint(publicKey), privateKey, publicKey };
}

/** Makes a new RSA key, stores it (0600) and makes it the key new tokens are signed with. */
export function createSigningKey(dir: string): SigningKey {
  const key = addSigningKey(dir);
  makeCurrent(dir, key.kid);
  return key;
}

/** Makes a new RSA key and stores it (0600), without signing with it yet. */
export function addSigningKey(dir: string): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MIN_MODULUS_BITS });
  const publicKey = createPublicKey(privateKey);
  const kid = thumbprint(publicKey);
  writePrivateFile(join(dir, `${kid}.pem`), privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  return { kid, privateKey, publicKey };
}

/** Points `current` at `kid` with one rename, so a reader never sees a half-written pointer. */
export function makeCurrent(dir: string, kid: string): void {
  const pointer = join(dir, `${CURRENT_FILE}.${process.pid}.tmp`);
  writeFileSync(pointer, `${kid}\n`, { mode: 0o600 });
  renameSync(pointer, join(dir, CURRENT_FILE));
}

/**
 * The signing key plus every public key still accepted, all as KeyObjects created once. One object
 * for the server's life: a rotation swaps its contents, so whoever holds it signs with the new key.
 */
export class Keyring {
  private signing: SigningKey;
  private publicKeys: Map<string, KeyObject>;

  constructor(current: SigningKey, keys: SigningKey[]) {
    this.signing = current;
    this.publicKeys = new Map(keys.map((key) => [key.kid, key.publicKey]));
    this.publicKeys.set(current.kid, current.publicKey);
  }

  get current(): SigningKey {
    return this.signing;
  }

  /** Takes over the keys of a freshly loaded keyring (after a rotation or a prune). */
  replaceWith(next: Keyring): void {
    this.signing = next.signing;
    this.publicKeys = next.publicKeys;
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.publicKeys.get(kid);
  }

  jwks(): { keys: object[] } {
    return {
      keys: [...this.publicKeys].map(([kid, key]) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: SIGNING_ALGORITHM })),
    };
  }
}

/** The `kid` the `current` pointer names: the key new tokens are signed with. */
export function readCurrentKid(dir: string): string {
  return readFileSync(join(dir, CURRENT_FILE), 'utf8').trim();
}

/** Loads the keys in `dir`; the `current` pointer must name one of them. */
export function loadKeyring(dir: string): Keyring {
  const keys = readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .map((name) => readSigningKey(join(dir, name)));
  const currentKid = readCurrentKid(dir);
  const current = keys.find((key) => key.kid === currentKid);
  if (!current) throw new KeyringError(`${join(dir, CURRENT_FILE)} names key ${currentKid}, which is not in ${dir}`);
  return new Keyring(current, keys);
}

/** Loads the keys in `dir`, generating the first one when there is none. */
export function loadOrCreateKeyring(dir: string): Keyring {
  if (!existsSync(join(dir, CURRENT_FILE))) createSigningKey(dir);
  return loadKeyring(dir);
}
