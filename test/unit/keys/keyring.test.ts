import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyringError, loadOrCreateKeyring } from '../../../auth-server/src/keys/keyring';

describe('loadOrCreateKeyring', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'pacsgate-keys-')), 'signing-keys');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('generates an RSA key of at least 2048 bits with a kid, in files only its owner can read', () => {
    const { current } = loadOrCreateKeyring(dir);
    expect(current.privateKey.asymmetricKeyType).toBe('rsa');
    expect(current.privateKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    expect(current.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('loads the same key and kid on the next start', () => {
    const first = loadOrCreateKeyring(dir).current.kid;
    const second = loadOrCreateKeyring(dir);
    expect(second.current.kid).toBe(first);
    expect(second.publicKey(first)).toBeDefined();
  });

  it('publishes only public parts in the JWKS', () => {
    const keyring = loadOrCreateKeyring(dir);
    expect(keyring.jwks().keys).toEqual([{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: keyring.current.kid, use: 'sig', alg: 'RS256' }]);
  });

  it('refuses a signing key weaker than 2048 bits', () => {
    mkdirSync(dir, { recursive: true });
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(join(dir, 'weak.pem'), weak);
    writeFileSync(join(dir, 'current'), 'weak\n');
    expect(() => loadOrCreateKeyring(dir)).toThrow(KeyringError);
  });
});
