import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { configLayout } from '../config-files';
import { addSigningKey, CURRENT_FILE, type Keyring, loadOrCreateKeyring, makeCurrent, readCurrentKid } from './keyring';

export const signingKeysDir = (configDir: string): string => configLayout(configDir).signingKeys;

/**
 * A server picks up a rotation made by the CLI or another replica on its next poll (250 ms) and may
 * sign with the old key until then; this margin covers that and clock skew between machines.
 */
const RETIREMENT_MARGIN_SECONDS = 300;

/** How long a retired key stays published: until the last token it signed can have expired. */
export const keepRetiredSeconds = (ttl: Config['ttl']): number =>
  Math.max(ttl.authToken, ttl.accessToken, ttl.refreshToken, ttl.shareLink) + RETIREMENT_MARGIN_SECONDS;

export interface KeyStatus {
  kid: string;
  current: boolean;
  /** Seconds since the epoch when it stopped signing; undefined for the current key. */
  retiredAt?: number;
  /** When prune may drop it. */
  prunableAt?: number;
}

/** `<kid>.retired` beside `<kid>.pem` holds when the key stopped signing, in epoch seconds. */
const markerPath = (dir: string, kid: string) => join(dir, `${kid}.retired`);

/**
 * When `kid` stopped signing. A key without a readable marker (put there by hand) counts as retired
 * when `current` last changed, which is no earlier than the truth: the key is kept longer, not less.
 */
function retiredAt(dir: string, kid: string): number {
  const marker = markerPath(dir, kid);
  const recorded = existsSync(marker) ? Number(readFileSync(marker, 'utf8').trim()) : NaN;
  return Number.isInteger(recorded) ? recorded : Math.ceil(statSync(join(dir, CURRENT_FILE)).mtimeMs / 1000);
}

/** Every key in `dir`, the current one first. */
export function listSigningKeys(dir: string, keepSeconds: number): KeyStatus[] {
  const currentKid = readCurrentKid(dir);
  const kids = readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .map((name) => name.slice(0, -'.pem'.length));
  return kids
    .map((kid): KeyStatus => {
      if (kid === currentKid) return { kid, current: true };
      const retired = retiredAt(dir, kid);
      return { kid, current: false, retiredAt: retired, prunableAt: retired + keepSeconds };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || (b.retiredAt ?? 0) - (a.retiredAt ?? 0));
}

/**
 * Makes a new signing key current. The old one is marked retired before the pointer moves, so no
 * non-current key is ever left without its retirement time.
 */
export function rotateSigningKey(dir: string, now: number): { previous: string; current: string } {
  const previous = readCurrentKid(dir);
  const { kid } = addSigningKey(dir);
  writeFileSync(markerPath(dir, previous), `${now}\n`, { mode: 0o600 });
  makeCurrent(dir, kid);
  return { previous, current: kid };
}

/** Deletes the retired keys no unexpired token can have been signed with; returns them. */
export function pruneRetiredKeys(dir: string, keepSeconds: number, now: number): KeyStatus[] {
  const prunable = listSigningKeys(dir, keepSeconds).filter((key) => !key.current && (key.prunableAt ?? Infinity) <= now);
  for (const { kid } of prunable) {
    rmSync(join(dir, `${kid}.pem`));
    rmSync(markerPath(dir, kid), { force: true });
  }
  return prunable;
}

/** The server's start: drops the retired keys past their time, then loads (or creates the first) key. */
export function openKeyring(configDir: string, ttl: Config['ttl'], now: number): { keyring: Keyring; pruned: KeyStatus[] } {
  const dir = signingKeysDir(configDir);
  const pruned = existsSync(join(dir, CURRENT_FILE)) ? pruneRetiredKeys(dir, keepRetiredSeconds(ttl), now) : [];
  return { keyring: loadOrCreateKeyring(dir), pruned };
}
