/**
 * OHIF's build assumes it is served from `/`. These rewrite a copy of it for a sub-path
 * (`/viewer/`): pure text functions, so each rule is tested on its own (test/unit/viewer).
 */

/** A file the rewritten index.html loads instead of an inline script. */
export interface ExtractedScript {
  file: string;
  content: string;
}

const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;
const ROOT_URL_ATTRIBUTE = /(\s(?:href|src|content)=")\/(?!\/)/g;
const PUBLIC_URL_ASSIGNMENT = /window\.PUBLIC_URL\s*=\s*"\/"/g;
const WEBPACK_PUBLIC_PATH = /(__webpack_require__\.p\s*=\s*)"\/"/g;
const CSS_ROOT_URL = /url\((["']?)\/(?!\/)/g;

/**
 * index.html: every root-relative `href`/`src`/`content` moves under `base`, `window.PUBLIC_URL` becomes
 * `base` (OHIF's router and asset loader read it), and each inline script moves into a file of
 * its own, so the viewer's Content-Security-Policy needs no `'unsafe-inline'` nor hashes.
 */
export function rewriteIndexHtml(html: string, base: string): { html: string; scripts: ExtractedScript[] } {
  const scripts: ExtractedScript[] = [];
  const moved = html.replace(INLINE_SCRIPT, (_, content: string) => {
    const file = `pacsgate-inline-${scripts.length + 1}.js`;
    scripts.push({ file, content: content.replace(PUBLIC_URL_ASSIGNMENT, `window.PUBLIC_URL=${JSON.stringify(base)}`) });
    return `<script src="/${file}"></script>`;
  });
  return { html: moved.replace(ROOT_URL_ATTRIBUTE, `$1${base}`), scripts };
}

/** A webpack bundle or worker with its public path set to `/`: `base` instead; null when it has none. */
export function rewriteBundle(js: string, base: string): string | null {
  return rewriteAll(js, WEBPACK_PUBLIC_PATH, `$1${JSON.stringify(base)}`);
}

/** A stylesheet with root-relative `url(/…)` (OHIF's fonts): under `base`; null when it has none. */
export function rewriteStylesheet(css: string, base: string): string | null {
  return rewriteAll(css, CSS_ROOT_URL, `url($1${base}`);
}

function rewriteAll(text: string, pattern: RegExp, replacement: string): string | null {
  const rewritten = text.replace(pattern, replacement);
  return rewritten === text ? null : rewritten;
}
