import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSigningKey, KeyringError, loadKeyring, loadOrCreateKeyring } from '../../auth-server/src/keys/keyring';
import { systemClock } from '../../auth-server/src/clock';
import { KeyringWatcher, UNKNOWN_KID_LOOK_MS } from '../../auth-server/src/keys/keyring-watcher';
import { FakeClock } from '../support/fake-clock';
import { keepRetiredSeconds, listSigningKeys, openKeyring, pruneRetiredKeys, rotateSigningKey, signingKeysDir } from '../../auth-server/src/keys/rotation';

const KEEP = 1000;
const NOW = 1_800_000_000;

// RSA key generation costs 0.1 to 2 s; these tests are about files and timing, not keys (keyring.test.ts
// covers generation). A few real keys made once stand in, taken in turn: no test uses more than three.
const premade = Array.from({ length: 4 }, () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }));
let nextPremade = 0;
beforeAll(() => {
  jest.spyOn(crypto, 'generateKeyPairSync').mockImplementation(() => premade[nextPremade++ % premade.length]);
});
afterAll(() => jest.restoreAllMocks());

it('keeps a retired key published for the longest token lifetime plus a margin', () => {
  const ttl = { authToken: 86400, accessToken: 3600, refreshToken: 2592000, shareLink: 86400 };
  expect(keepRetiredSeconds(ttl)).toBeGreaterThan(2592000);
  expect(keepRetiredSeconds(ttl)).toBeLessThan(2592000 + 3600);
  const longShareLinks = { ...ttl, shareLink: 90 * 86400 };
  expect(keepRetiredSeconds(longShareLinks)).toBeGreaterThan(90 * 86400);
});

/** A config dir with its first signing key, fresh for each test of the block. */
function freshConfigDir(): { configDir: string; dir: string } {
  const paths = { configDir: '', dir: '' };
  beforeEach(() => {
    paths.configDir = mkdtempSync(join(tmpdir(), 'pacsgate-rotation-'));
    paths.dir = signingKeysDir(paths.configDir);
    loadOrCreateKeyring(paths.dir);
  });
  afterEach(() => rmSync(paths.configDir, { recursive: true, force: true }));
  return paths;
}

describe('signing key rotation', () => {
  const paths = freshConfigDir();

  it('makes a new key current and records when the previous one stopped signing', () => {
    const { previous, current } = rotateSigningKey(paths.dir, NOW);
    expect(current).not.toBe(previous);
    expect(loadKeyring(paths.dir).current.kid).toBe(current);
    expect(listSigningKeys(paths.dir, KEEP)).toEqual([
      { kid: current, current: true },
      { kid: previous, current: false, retiredAt: NOW, prunableAt: NOW + KEEP },
    ]);
  });

  it('keeps verifying with the retired key while signing with the new one', () => {
    const { previous, current } = rotateSigningKey(paths.dir, NOW);
    const keyring = loadKeyring(paths.dir);
    expect(keyring.publicKey(previous)).toBeDefined();
    expect(keyring.jwks().keys.map((key) => (key as { kid: string }).kid).sort()).toEqual([previous, current].sort());
  });

  it('writes the new key and its retirement marker for the owner only', () => {
    rotateSigningKey(paths.dir, NOW);
    for (const name of readdirSync(paths.dir)) expect(statSync(join(paths.dir, name)).mode & 0o777).toBe(0o600);
  });

  it('prunes a retired key only once the tokens it signed can have expired', () => {
    const { previous } = rotateSigningKey(paths.dir, NOW);
    expect(pruneRetiredKeys(paths.dir, KEEP, NOW + KEEP - 1)).toEqual([]);
    expect(pruneRetiredKeys(paths.dir, KEEP, NOW + KEEP).map((key) => key.kid)).toEqual([previous]);
    expect(existsSync(join(paths.dir, `${previous}.pem`))).toBe(false);
    expect(existsSync(join(paths.dir, `${previous}.retired`))).toBe(false);
    expect(loadKeyring(paths.dir).publicKey(previous)).toBeUndefined();
  });

  it('never prunes the current key, however old', () => {
    const { current } = rotateSigningKey(paths.dir, NOW);
    pruneRetiredKeys(paths.dir, KEEP, NOW + 100 * KEEP);
    expect(loadKeyring(paths.dir).current.kid).toBe(current);
  });

  it('prunes each retired key on its own schedule', () => {
    const first = rotateSigningKey(paths.dir, NOW).previous;
    const second = rotateSigningKey(paths.dir, NOW + 500).previous;
    expect(pruneRetiredKeys(paths.dir, KEEP, NOW + KEEP).map((key) => key.kid)).toEqual([first]);
    expect(listSigningKeys(paths.dir, KEEP).map((key) => key.kid)).toContain(second);
  });

  it('counts a key without a retirement marker as retired when the pointer last moved, never earlier', () => {
    const stray = addSigningKey(paths.dir).kid;
    const pointerChanged = Math.ceil(statSync(join(paths.dir, 'current')).mtimeMs / 1000);
    expect(listSigningKeys(paths.dir, KEEP).find((key) => key.kid === stray)).toMatchObject({ current: false, retiredAt: pointerChanged });
    writeFileSync(join(paths.dir, `${stray}.retired`), 'not a number\n');
    expect(listSigningKeys(paths.dir, KEEP).find((key) => key.kid === stray)?.retiredAt).toBe(pointerChanged);
  });

  it('prunes at start-up with the configured lifetimes', () => {
    const ttl = { authToken: 60, accessToken: 60, refreshToken: 60, shareLink: 60 };
    const { previous } = rotateSigningKey(paths.dir, NOW);
    expect(openKeyring(paths.configDir, ttl, NOW + 60).pruned).toEqual([]);
    const { keyring, pruned } = openKeyring(paths.configDir, ttl, NOW + keepRetiredSeconds(ttl));
    expect(pruned.map((key) => key.kid)).toEqual([previous]);
    expect(keyring.publicKey(previous)).toBeUndefined();
  });
});

describe('KeyringWatcher', () => {
  const paths = freshConfigDir();

  it('leaves the keyring alone while `current` is unchanged', () => {
    const keyring = loadKeyring(paths.dir);
    const before = keyring.current;
    expect(new KeyringWatcher(keyring, paths.dir, systemClock).check()).toBeUndefined();
    expect(keyring.current).toBe(before);
  });

  it('switches the same keyring object to a key another process rotated in, keeping the old one', () => {
    const keyring = loadKeyring(paths.dir);
    const { previous, current } = rotateSigningKey(paths.dir, NOW);
    expect(new KeyringWatcher(keyring, paths.dir, systemClock).check()).toBe(current);
    expect(keyring.current.kid).toBe(current);
    expect(keyring.publicKey(previous)).toBeDefined();
  });

  it('keeps signing with the keys it had when the new ones cannot be loaded', () => {
    const keyring = loadKeyring(paths.dir);
    const before = keyring.current.kid;
    const { current } = rotateSigningKey(paths.dir, NOW);
    writeFileSync(join(paths.dir, `${current}.pem`), 'half written');
    expect(() => new KeyringWatcher(keyring, paths.dir, systemClock).check()).toThrow(KeyringError);
    expect(keyring.current.kid).toBe(before);
  });

  it('looks at the files for a token’s unknown kid at most once per interval, however many arrive', () => {
    const keyring = loadKeyring(paths.dir);
    const clock = new FakeClock();
    const watcher = new KeyringWatcher(keyring, paths.dir, clock);
    const first = rotateSigningKey(paths.dir, NOW).current;
    expect(watcher.lookForUnknownKid()).toBe('looked');
    expect(keyring.current.kid).toBe(first);
    // A flood of forged kids: one look, the rest refused without touching the files.
    const second = rotateSigningKey(paths.dir, NOW + 1).current;
    const looks = Array.from({ length: 1000 }, () => watcher.lookForUnknownKid());
    expect(looks.filter((look) => look === 'looked')).toHaveLength(0);
    expect(keyring.current.kid).toBe(first);
    clock.advanceSeconds(UNKNOWN_KID_LOOK_MS / 1000);
    expect(watcher.lookForUnknownKid()).toBe('looked');
    expect(keyring.current.kid).toBe(second);
  });

  it('keeps the keys it had when a look finds a broken key file, without throwing', () => {
    const keyring = loadKeyring(paths.dir);
    const before = keyring.current.kid;
    const { current } = rotateSigningKey(paths.dir, NOW);
    writeFileSync(join(paths.dir, `${current}.pem`), 'half written');
    expect(new KeyringWatcher(keyring, paths.dir, new FakeClock()).lookForUnknownKid()).toBe('looked');
    expect(keyring.current.kid).toBe(before);
  });

  it('polls until stopped', () => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    try {
      const keyring = loadKeyring(paths.dir);
      const rotated: string[] = [];
      const stop = new KeyringWatcher(keyring, paths.dir, systemClock).startPolling(1000, (kid) => rotated.push(kid), (error) => { throw error; });
      const { current } = rotateSigningKey(paths.dir, NOW);
      jest.advanceTimersByTime(1000);
      expect(rotated).toEqual([current]);
      stop();
      rotateSigningKey(paths.dir, NOW + 1);
      jest.advanceTimersByTime(5000);
      expect(keyring.current.kid).toBe(current);
      expect(readFileSync(join(paths.dir, 'current'), 'utf8').trim()).not.toBe(current);
    } finally {
      jest.useRealTimers();
    }
  });
});
