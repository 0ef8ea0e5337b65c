import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes a file only its owner can read, creating its folder (0700) when missing. */
export function writePrivateFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
}

/** Returns the secret stored at `path`, generating a random one on first use. */
export function readOrCreateSecret(path: string, bytes = 32): string {
  if (!existsSync(path)) writePrivateFile(path, `${randomBytes(bytes).toString('base64url')}\n`);
  return readFileSync(path, 'utf8').trim();
}
