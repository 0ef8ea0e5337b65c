import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { issueAccessToken } from '../bench-tokens';
import type { BenchEndpoints } from '../scenarios';
import { loopbackRequest } from '../loopback-request';
import { median } from '../summary';
import { absorbedByAuthCache } from './auth-cache-model';
import { launchChromium } from './chromium';
import { makeCtLikeSeries } from './ct-like-series';
import { loadStudy, type StudyLoad } from './study-load';

/** A study load's figures through one Nginx, medians over the rounds. */
export interface ViewerLoadSummary {
  target: 'baseline' | 'gate' | 'gate-nocache';
  loads: number;
  firstImageMs: number;
  allFramesMs: number;
  pacsRequests: number;
  viewerFileRequests: number;
}

export interface ViewerReport {
  slices: number;
  summaries: ViewerLoadSummary[];
  /** Baseline time over the time through the gate as set up (1 = no cost; the goal is ≥ 0.95). */
  firstImageRatio: number;
  allFramesRatio: number;
  /** Of the uncached gate's PACS requests per load, how many an `authCacheSeconds` auth cache would answer itself. */
  authCacheSeconds: number;
  absorbedByAuthCache: number;
  /** Loads that did not finish (the report's problems); the medians are of the others. */
  failures: string[];
}

const SLICES = 20;

async function storeSeries(gateUrl: string, editToken: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-bench-series-'));
  try {
    const series = makeCtLikeSeries(dir, { name: 'Bench^Viewer', id: 'BENCH-VIEWER' }, SLICES);
    for (const file of series.files) {
      const stored = await loopbackRequest(`${gateUrl}/instances`, { method: 'POST', headers: { Authorization: `Bearer ${editToken}`, 'Content-Type': 'application/dicom' }, body: readFileSync(file) });
      if (stored.status !== 200) throw new Error(`storing a slice through the gate answered ${stored.status}`);
    }
    return series.studyUid;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarizeLoads(target: ViewerLoadSummary['target'], loads: StudyLoad[]): ViewerLoadSummary {
  return {
    target,
    loads: loads.length,
    firstImageMs: median(loads.map((load) => load.firstImageMs)),
    allFramesMs: median(loads.map((load) => load.allFramesMs)),
    pacsRequests: median(loads.map((load) => load.pacsRequests.length)),
    viewerFileRequests: median(loads.map((load) => load.viewerFileRequests)),
  };
}

/**
 * Opens the same stored 20-slice study in OHIF through the baseline Nginx (no auth_request, same
 * viewer files, same Orthanc), the gate as set up and the gate without auth cache, one browser context each
 * (its HTTP cache warmed by a first load that is not counted, as for a returning user), in
 * turn, every other round in reverse order, `rounds` times each.
 */
export async function benchViewer(endpoints: BenchEndpoints, adminPassword: string, authCacheSeconds: number, rounds: number, log: (line: string) => void): Promise<ViewerReport> {
  const studyUid = await storeSeries(endpoints.gateUrl, await issueAccessToken(endpoints.gateUrl, adminPassword, 'bench-viewer-editor', true));
  const readToken = await issueAccessToken(endpoints.gateUrl, adminPassword, 'bench-viewer-reader', false);
  const targets = { baseline: endpoints.baselineUrl, gate: endpoints.gateUrl, 'gate-nocache': endpoints.uncachedGateUrl } as const;
  const browser = await launchChromium();
  try {
    const contexts = new Map<ViewerLoadSummary['target'], BrowserContext>();
    const loads = new Map<ViewerLoadSummary['target'], StudyLoad[]>();
    for (const [target, url] of Object.entries(targets) as [ViewerLoadSummary['target'], string][]) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
      // The page's HttpOnly cookie, as sign-in leaves it (cookies ignore ports: one for all three).
      await context.addCookies([{ name: 'pacsgate_token', value: readToken, url, httpOnly: true, secure: true, sameSite: 'Lax' }]);
      log(`Viewer: warming ${target}'s browser cache...`);
      await loadStudy(context, `${url}/viewer/viewer?StudyInstanceUIDs=${studyUid}`, SLICES);
      contexts.set(target, context);
      loads.set(target, []);
    }
    const failures: string[] = [];
    const inOrder = Object.entries(targets) as [ViewerLoadSummary['target'], string][];
    for (let round = 1; round <= rounds; round += 1) {
      // Every other round in reverse: a machine warming up or slowing down favours no target.
      for (const [target, url] of round % 2 === 1 ? inOrder : [...inOrder].reverse()) {
        try {
          const load = await loadStudy(contexts.get(target) as BrowserContext, `${url}/viewer/viewer?StudyInstanceUIDs=${studyUid}`, SLICES);
          log(`Viewer round ${round}, ${target}: first image ${load.firstImageMs.toFixed(0)} ms, all frames ${load.allFramesMs.toFixed(0)} ms, ${load.pacsRequests.length} PACS requests`);
          loads.get(target)?.push(load);
        } catch (error) {
          failures.push(`OHIF study load, round ${round}, ${target}: ${(error as Error).message}`);
          log(failures[failures.length - 1]);
        }
      }
    }
    const summaries = [...loads].map(([target, list]) => summarizeLoads(target, list));
    const [baseline, gate] = [summaries[0], summaries[1]];
    return {
      slices: SLICES,
      summaries,
      firstImageRatio: baseline.firstImageMs / gate.firstImageMs,
      allFramesRatio: baseline.allFramesMs / gate.allFramesMs,
      authCacheSeconds,
      absorbedByAuthCache: median((loads.get('gate-nocache') ?? []).map((load) => absorbedByAuthCache(load.pacsRequests, authCacheSeconds))),
      failures,
    };
  } finally {
    await browser.close();
  }
}
