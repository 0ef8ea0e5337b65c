import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found the same way from `auth-server/src` (ts-jest) and from `dist/` (built). */
function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = projectRoot(__dirname);
export const VIEWS_DIR = join(PROJECT_ROOT, 'auth-server', 'views');
export const PUBLIC_DIR = join(PROJECT_ROOT, 'auth-server', 'public');
