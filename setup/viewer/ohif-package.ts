import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-root';

/** The OHIF build pacsgate serves, pinned in package.json (`viewer`): name, exact version, tarball digest. */
export interface OhifPackage {
  name: string;
  version: string;
  /** The registry's `dist.integrity` (`sha512-<base64>`), checked against the downloaded tarball. */
  integrity: string;
}

export function pinnedOhif(root = REPO_ROOT): OhifPackage {
  const { viewer } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { viewer: OhifPackage };
  if (!/^\d+\.\d+\.\d+$/.test(viewer.version) || !viewer.integrity.startsWith('sha512-')) throw new Error('package.json: viewer must pin an exact version and its sha512 integrity');
  return viewer;
}

/**
 * Where `npm install` unpacks the pinned build: npm leaves node_modules/.cache alone, and this is
 * only the pristine package; setup copies and adapts it (setup/viewer/prepare-viewer.ts).
 */
export function unpackedOhifDir(pinned: OhifPackage, root = REPO_ROOT): string {
  return join(root, 'node_modules', '.cache', 'pacsgate-ohif', pinned.version);
}

export const unpackedOhifDist = (pinned: OhifPackage, root = REPO_ROOT): string => join(unpackedOhifDir(pinned, root), 'package', 'dist');
