import type { BrowserContext, Page, Request } from 'playwright-core';
import type { TimedRequest } from './auth-cache-model';

/** One study opened in OHIF, times in ms from the start of the navigation. */
export interface StudyLoad {
  firstImageMs: number;
  allFramesMs: number;
  /** DICOMweb/WADO requests: each one goes through the token check on the gate. */
  pacsRequests: TimedRequest[];
  /** Requests for the viewer's own files (with a warm browser cache, only the unhashed ones). */
  viewerFileRequests: number;
}

// Generous: on a loaded 2-core machine a warm load has taken 40 s (SwiftShader renders on the CPU).
const LOAD_TIMEOUT_MS = 180_000;
const SETTLE_MS = 1000;
const POLL_MS = 100;

// Cornerstone dispatches its events on the viewport element without bubbling; a capturing
// listener on the document still hears them. A new image set in the stack, then its first render.
const RENDER_PROBE = `
  window.__pacsgateBench = {};
  document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', () => {
    window.__pacsgateBench.newImage ??= performance.now();
  }, true);
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
    if (window.__pacsgateBench.newImage !== undefined) window.__pacsgateBench.rendered ??= performance.now();
  }, true);
`;

const isPacsPath = (path: string) => path.startsWith('/dicom-web/') || path.startsWith('/wado');

/** The end of the last of the series' frames, once all `frames` have arrived. */
const allFramesLoaded = (frames: number) => `(() => {
  const loaded = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/frames/'));
  return loaded.length >= ${frames} ? Math.max(...loaded.map((entry) => entry.responseEnd)) : false;
})()`;

/**
 * Evaluates `expression` in the page until it is truthy. Not waitForFunction: that one evals its
 * predicate inside the page, which the viewer's CSP (no 'unsafe-eval') refuses. The figures come
 * from the page's own clock, so the polling interval does not blur them.
 */
async function poll<T>(page: Page, expression: string): Promise<T> {
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  for (;;) {
    const value = await page.evaluate<T | false | undefined>(expression);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`the study did not load within ${LOAD_TIMEOUT_MS / 1000} s (${expression.slice(0, 60)}…)`);
    await page.waitForTimeout(POLL_MS);
  }
}

function timed(request: Request): TimedRequest {
  const timing = request.timing();
  return { startMs: timing.startTime, responseStartMs: timing.startTime + Math.max(0, timing.responseStart) };
}

/**
 * Opens `studyUrl` in a new page of `context` and waits for the first rendered slice and for all
 * `frames` frames. Request times are turned into the page's clock (Playwright gives wall-clock
 * starts; the page's clock starts at its navigation).
 */
export async function loadStudy(context: BrowserContext, studyUrl: string, frames: number): Promise<StudyLoad> {
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('requestfinished', (request) => requests.push(request));
  try {
    await page.addInitScript(RENDER_PROBE);
    await page.goto(studyUrl, { waitUntil: 'commit' });
    const firstImageMs = await poll<number>(page, 'window.__pacsgateBench && window.__pacsgateBench.rendered');
    const allFramesMs = await poll<number>(page, allFramesLoaded(frames));
    // Stragglers (thumbnails) finish after the last frame: count them too.
    await page.waitForTimeout(SETTLE_MS);
    const timeOrigin = await page.evaluate<number>('performance.timeOrigin');
    const paths = requests.map((request) => ({ request, path: new URL(request.url()).pathname }));
    const pacsRequests = paths.filter(({ path }) => isPacsPath(path)).map(({ request }) => timed(request)).map((request) => ({
      startMs: request.startMs - timeOrigin,
      responseStartMs: request.responseStartMs - timeOrigin,
    }));
    return { firstImageMs, allFramesMs, pacsRequests, viewerFileRequests: paths.filter(({ path }) => path.startsWith('/viewer/')).length };
  } finally {
    await page.close();
  }
}
