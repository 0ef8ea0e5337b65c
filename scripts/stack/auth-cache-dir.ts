import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AuthCacheDir {
  dir: string;
  remove(): void;
}

/** Linux's tmpfs: the cache's files hold tokens, and there they never touch a disk. */
const IN_MEMORY = '/dev/shm';

/**
 * A fresh directory for Nginx's auth cache, in memory where the system has /dev/shm, outside the
 * config dir: Nginx's workers (www-data when the master runs as root) write the cache and cannot
 * enter the 0700 config dir. The random parent is 0711 (enterable, not listable); Nginx creates
 * `verify` in it, 0700, for its workers' user. Removed when the stack stops: its files hold tokens.
 */
export function createAuthCacheDir(): AuthCacheDir {
  const parent = mkdtempSync(join(existsSync(IN_MEMORY) ? IN_MEMORY : tmpdir(), 'pacsgate-auth-cache-'));
  chmodSync(parent, 0o711);
  return { dir: join(parent, 'verify'), remove: () => rmSync(parent, { recursive: true, force: true }) };
}
