import type { Browser, Page, Response } from 'playwright-core';
import { pixelStats, showsBrightDisc } from './viewport-pixels';

/** OHIF in Chromium through the gate: what the viewer's end-to-end tests watch and wait for. */

/** Every response the browser got, in order, every URL its top frame committed to, every CSP report. */
export interface BrowserLog {
  responses: { url: string; status: number }[];
  committedUrls: string[];
  cspViolations: string[];
}

export function watch(page: Page): BrowserLog {
  const log: BrowserLog = { responses: [], committedUrls: [], cspViolations: [] };
  page.context().on('response', (response: Response) => log.responses.push({ url: response.url(), status: response.status() }));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) log.committedUrls.push(frame.url());
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) log.cspViolations.push(message.text());
  });
  return log;
}

/** `status path` of each response, for messages that say what was refused. */
export const described = (responses: BrowserLog['responses']): string[] => responses.map(({ url, status }) => `${status} ${new URL(url).pathname}${new URL(url).search}`);

/** OHIF's first-visit notices (the investigational-use banner, the tour) dim the viewport. */
export async function dismissNotices(page: Page): Promise<void> {
  for (const label of ['Skip all', 'Confirm and hide']) {
    const button = page.getByText(label, { exact: true });
    if (await button.isVisible()) await button.click();
  }
}

/** Waits until the viewport shows a slice of the series (not an empty or black viewport). */
export async function expectRenderedSlice(browser: Browser, page: Page): Promise<void> {
  const viewport = page.locator('canvas.cornerstone-canvas').first();
  await viewport.waitFor({ timeout: 60000 });
  let stats = await pixelStats(browser, viewport);
  for (let tries = 0; tries < 90 && !showsBrightDisc(stats); tries += 1) {
    await dismissNotices(page);
    await page.waitForTimeout(500);
    stats = await pixelStats(browser, viewport);
  }
  expect({ ...stats, showsBrightDisc: showsBrightDisc(stats) }).toEqual({ ...stats, showsBrightDisc: true });
}
