import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type OhifPackage, pinnedOhif, unpackedOhifDir, unpackedOhifDist } from './ohif-package';

// The OHIF build is fetched with npm's own client by `npm pack`, not installed as a dependency:
// @ohif/app's runtime dependencies are bundled into its dist/ and not needed, and some of their
// exact versions are missing from the registry this project installs from, so `npm install
// @ohif/app` cannot resolve. The tarball's digest is checked against the one pinned in package.json.

function sri(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Unpacks the pinned build under node_modules/.cache unless it is there; returns its dist/. */
export function fetchOhif(pinned: OhifPackage = pinnedOhif(), log: (line: string) => void = console.log): string {
  const target = unpackedOhifDir(pinned);
  if (existsSync(unpackedOhifDist(pinned))) return unpackedOhifDist(pinned);
  mkdirSync(dirname(target), { recursive: true });
  const work = mkdtempSync(`${target}.partial-`);
  try {
    execFileSync('npm', ['pack', `${pinned.name}@${pinned.version}`, '--silent', '--pack-destination', work], { stdio: ['ignore', 'ignore', 'inherit'] });
    const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pinned.name}@${pinned.version} wrote no tarball`);
    const digest = sri(join(work, tarball));
    if (digest !== pinned.integrity) throw new Error(`${pinned.name}@${pinned.version}: tarball digest ${digest} is not the pinned ${pinned.integrity}`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/dist', 'package/package.json']);
    rmSync(join(work, tarball));
    try {
      renameSync(work, target);
    } catch (error) {
      // Another process (a parallel test worker) unpacked it first: theirs is the same build.
      if (!existsSync(unpackedOhifDist(pinned))) throw error;
    }
    log(`OHIF viewer ${pinned.version} unpacked in ${target}`);
    return unpackedOhifDist(pinned);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

