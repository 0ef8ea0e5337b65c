import type { Browser, Locator } from 'playwright-core';

export interface PixelStats {
  /** Mean luminance (0–255) of the centre tenth of the picture and of its four corner tenths. */
  centre: number;
  corners: number;
  /** Share of pixels brighter than halfway between the corners and the centre; the luminance spread. */
  brightShare: number;
  spread: number;
}

/** Runs in a blank page (the project's TypeScript has no DOM types, hence a string). */
const MEASURE_PNG = `async (data) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { width, height } = canvas;
  const pixels = context.getImageData(0, 0, width, height).data;
  const luminance = (x, y) => {
    const at = (y * width + x) * 4;
    return 0.299 * pixels[at] + 0.587 * pixels[at + 1] + 0.114 * pixels[at + 2];
  };
  const mean = (x0, y0, w, h) => {
    let sum = 0;
    for (let y = y0; y < y0 + h; y += 1) for (let x = x0; x < x0 + w; x += 1) sum += luminance(x, y);
    return sum / (w * h);
  };
  const w = Math.max(1, Math.floor(width / 10));
  const h = Math.max(1, Math.floor(height / 10));
  const centre = mean(Math.floor((width - w) / 2), Math.floor((height - h) / 2), w, h);
  const corners = (mean(0, 0, w, h) + mean(width - w, 0, w, h) + mean(0, height - h, w, h) + mean(width - w, height - h, w, h)) / 4;
  let bright = 0, sum = 0, squares = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const value = luminance(x, y);
      if (value > (centre + corners) / 2) bright += 1;
      sum += value;
      squares += value * value;
    }
  }
  const count = width * height;
  return {
    centre,
    corners,
    brightShare: bright / count,
    spread: Math.sqrt(Math.max(0, squares / count - (sum / count) ** 2)),
  };
}`;

/**
 * Luminance statistics of what `element` shows on screen: its screenshot, decoded by Chromium itself
 * in a blank page (a WebGL canvas cannot be read back reliably; the screenshot can).
 */
export async function pixelStats(browser: Browser, element: Locator): Promise<PixelStats> {
  const png = (await element.screenshot()).toString('base64');
  const page = await browser.newPage();
  try {
    return await page.evaluate<PixelStats>(`(${MEASURE_PNG})(${JSON.stringify(png)})`);
  } finally {
    await page.close();
  }
}

/**
 * What a rendered slice of test/support/dicom.ts's series looks like, and an empty viewport (one
 * flat colour) does not: a disc in the centre much brighter than the corners, covering a part of
 * the picture, with a real spread of values.
 */
export function showsBrightDisc(stats: PixelStats): boolean {
  return stats.centre - stats.corners > 60 && stats.brightShare > 0.02 && stats.brightShare < 0.8 && stats.spread > 30;
}
