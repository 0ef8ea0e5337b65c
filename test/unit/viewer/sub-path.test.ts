import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { renderAppConfig } from '../../../setup/viewer/app-config';
import { pinnedOhif, unpackedOhifDist } from '../../../setup/viewer/ohif-package';
import { rewriteBundle, rewriteIndexHtml, rewriteStylesheet } from '../../../setup/viewer/sub-path';

const BASE = '/viewer/';

it("moves index.html's root URLs under the base, sets PUBLIC_URL there and takes its inline scripts out", () => {
  const html = '<head><meta name="x" content="/assets/tile.png"><script>console.time("a"),window.PUBLIC_URL="/"</script>'
    + '<link rel="manifest" href="/manifest.json"><script src="/app-config.js"></script><a href="//cdn.example/x">'
    + '<script>function f(n){return import(n)}window.PUBLIC_URL="/"</script></head>';
  const { html: rewritten, scripts } = rewriteIndexHtml(html, BASE);
  expect(rewritten).toBe('<head><meta name="x" content="/viewer/assets/tile.png"><script src="/viewer/pacsgate-inline-1.js"></script>'
    + '<link rel="manifest" href="/viewer/manifest.json"><script src="/viewer/app-config.js"></script><a href="//cdn.example/x">'
    + '<script src="/viewer/pacsgate-inline-2.js"></script></head>');
  expect(scripts).toEqual([
    { file: 'pacsgate-inline-1.js', content: 'console.time("a"),window.PUBLIC_URL="/viewer/"' },
    { file: 'pacsgate-inline-2.js', content: 'function f(n){return import(n)}window.PUBLIC_URL="/viewer/"' },
  ]);
});

it("points a webpack bundle's public path and a stylesheet's root URLs at the base, and leaves other files alone", () => {
  expect(rewriteBundle('a;__webpack_require__.p = "/";b', BASE)).toBe('a;__webpack_require__.p = "/viewer/";b');
  expect(rewriteBundle('__webpack_require__.p = "/static/"', BASE)).toBeNull();
  expect(rewriteStylesheet('src:url(/a.woff2) format("woff2");b{background:url("/x.png")}', BASE)).toBe('src:url(/viewer/a.woff2) format("woff2");b{background:url("/viewer/x.png")}');
  expect(rewriteStylesheet('a{background:url(data:image/png;base64,AA==)}c{background:url(//cdn/x)}', BASE)).toBeNull();
});

it('never leaves a root-relative href or src outside the base, whatever the paths', () => {
  const path = fc.stringMatching(/^[a-z0-9._-]{1,12}(\/[a-z0-9._-]{1,12}){0,2}$/);
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('href', 'src', 'content'), path), { maxLength: 8 }), (links) => {
    const html = links.map(([attribute, target]) => `<x ${attribute}="/${target}">`).join('');
    const { html: rewritten } = rewriteIndexHtml(html, BASE);
    expect(rewritten.match(/\s(?:href|src|content)="\/[^"]*"/g) ?? []).toEqual(links.map(([attribute, target]) => ` ${attribute}="/viewer/${target}"`));
  }));
});

it('rewrites the pinned OHIF build completely: every bundle that named / and the fonts, nothing left at the root', () => {
  const dist = unpackedOhifDist(pinnedOhif());
  const { html, scripts } = rewriteIndexHtml(readFileSync(join(dist, 'index.html'), 'utf8'), BASE);
  expect(html).not.toMatch(/<script>/);
  expect(html).not.toMatch(/\s(?:href|src)="\/(?!viewer\/)/);
  expect(scripts.map((script) => script.content).join('\n')).not.toContain('PUBLIC_URL="/"');
  const app = readFileSync(join(dist, html.match(/src="\/viewer\/(app\.bundle\.[0-9a-f]+\.js)"/)?.[1] ?? 'missing'), 'utf8');
  expect(rewriteBundle(app, BASE)).toContain('__webpack_require__.p = "/viewer/"');
  expect(rewriteStylesheet(readFileSync(join(dist, 'app.bundle.css'), 'utf8'), BASE)).not.toMatch(/url\(\/(?!viewer\/)/);
});

it("writes an app-config with one DICOMweb source on the gate's own paths, the study list on and no URL-driven configuration", () => {
  const window: { config?: Record<string, unknown> } = {};
  vm.runInNewContext(renderAppConfig('/viewer'), { window });
  const config = window.config as { routerBasename: string; showStudyList: boolean; dangerouslyUseDynamicConfig: { enabled: boolean }; dataSources: { configuration: Record<string, unknown> }[] };
  expect(config.routerBasename).toBe('/viewer');
  expect(config.showStudyList).toBe(true);
  expect(config.dangerouslyUseDynamicConfig.enabled).toBe(false);
  expect(config.dataSources).toHaveLength(1);
  expect(config.dataSources[0].configuration).toEqual(expect.objectContaining({ qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', wadoUriRoot: '/wado' }));
  expect(renderAppConfig('/viewer')).not.toMatch(/\/\/[a-z0-9.-]+[.:]/i);
});
