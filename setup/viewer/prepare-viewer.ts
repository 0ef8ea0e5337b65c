import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { renderAppConfig } from './app-config';
import { fetchOhif } from './fetch-ohif';
import { type OhifPackage, pinnedOhif } from './ohif-package';
import { rewriteBundle, rewriteIndexHtml, rewriteStylesheet } from './sub-path';

// The shipped app-config.js points at OHIF's public demo server: generatedFiles() replaces it.

/** Where Nginx serves the viewer from, on the gate's origin. */
export const VIEWER_BASE = '/viewer/';

/**
 * The top folder's bundles and stylesheets name `/` (workers, chunks, fonts); the subfolders
 * (onnxruntime, microscopy) load relative to them. A rewrite is tried only on files holding its marker.
 */
const REWRITES: Record<string, { marker: Buffer; rewrite: (text: string) => string | null }> = {
  '.js': { marker: Buffer.from('__webpack_require__.p'), rewrite: (js) => rewriteBundle(js, VIEWER_BASE) },
  '.css': { marker: Buffer.from('url('), rewrite: (css) => rewriteStylesheet(css, VIEWER_BASE) },
};

/** The small files that differ from the pristine build; a change in them means a new copy. */
function generatedFiles(sourceDir: string): Map<string, string> {
  const { html, scripts } = rewriteIndexHtml(readFileSync(join(sourceDir, 'index.html'), 'utf8'), VIEWER_BASE);
  const files = new Map(scripts.map((script) => [script.file, script.content]));
  files.set('index.html', html);
  files.set('app-config.js', renderAppConfig(VIEWER_BASE.replace(/\/$/, '')));
  return files;
}

/**
 * Builds the copy of OHIF that Nginx serves at /viewer/ in `targetDir` from the pristine build
 * `npm install` unpacked (never changed itself), unless the copy there was made from the same
 * build with the same generated files. Files that need no rewriting are hard-linked when they can
 * be (the build is ~200 MB); everything is world-readable (Nginx's workers may run as another
 * user) and holds no secret. Built aside and renamed into place, so a running Nginx never serves a
 * half-made copy.
 */
export function prepareViewer(targetDir: string, pinned: OhifPackage = pinnedOhif()): void {
  // `npm install` unpacked it; a node_modules copied from elsewhere may lack it.
  const sourceDir = fetchOhif(pinned);
  const generated = generatedFiles(sourceDir);
  const digest = createHash('sha256').update(`${pinned.name}@${pinned.version}`);
  for (const [file, content] of generated) digest.update(`\0${file}\0${content}`);
  const stamp = `${pinned.name}@${pinned.version} ${digest.digest('hex')}\n`;
  const stampFile = `${targetDir}.prepared`;
  if (existsSync(targetDir) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  const aside = `${targetDir}.${process.pid}.tmp`;
  rmSync(aside, { recursive: true, force: true });
  copyTree(sourceDir, aside, (name) => !generated.has(name));
  for (const [file, content] of generated) writePublic(join(aside, file), content);
  // Nginx's ETags are mtime + size, and npm's tarballs date every file 1985: a new build must
  // not look like the old one to a browser revalidating an unhashed file.
  touchTree(aside, new Date());
  const old = `${targetDir}.${process.pid}.old`;
  if (existsSync(targetDir)) renameSync(targetDir, old);
  renameSync(aside, targetDir);
  rmSync(old, { recursive: true, force: true });
  writePublic(stampFile, stamp);
}

/** `keep` filters the top folder's files only, which alone are rewritten. */
function copyTree(from: string, to: string, keep?: (name: string) => boolean): void {
  mkdirSync(to, { recursive: true });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (!entry.isFile()) continue;
    else if (!keep) linkOrCopy(source, target);
    else if (keep(entry.name) && !rewritten(source, target)) linkOrCopy(source, target);
  }
}

function touchTree(dir: string, time: Date): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) touchTree(join(dir, entry.name), time);
    else utimesSync(join(dir, entry.name), time, time);
  }
}

function rewritten(source: string, target: string): boolean {
  const rule = REWRITES[extname(source)];
  if (!rule) return false;
  const bytes = readFileSync(source);
  const text = bytes.includes(rule.marker) ? rule.rewrite(bytes.toString('utf8')) : null;
  if (text !== null) writePublic(target, text);
  return text !== null;
}

function linkOrCopy(source: string, target: string): void {
  // A hard link shares the source's mode: link only what others may read.
  if ((statSync(source).mode & 0o004) !== 0) {
    try {
      return linkSync(source, target);
    } catch {
      // another filesystem: copy it
    }
  }
  copyFileSync(source, target);
  chmodPublic(target);
}

function writePublic(path: string, content: string): void {
  writeFileSync(path, content);
  chmodPublic(path);
}

/** Whatever the umask: Nginx's workers read these as another user. */
const chmodPublic = (path: string): void => chmodSync(path, 0o644);
