import type { ScenarioSummary } from '../summary';

const WIDTH = 960;
const HEIGHT = 460;
const MARGIN = { top: 44, right: 20, bottom: 130, left: 84 };
const COLORS = ['#9ecae1', '#4292c6', '#08519c', '#6baed6', '#2171b5'];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Powers of ten around `values`: the gridlines of the log axis. */
export function decades(values: number[]): number[] {
  const positive = values.filter((value) => value > 0);
  if (positive.length === 0) return [1, 10];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return Array.from({ length: high - low + 1 }, (_, index) => 10 ** (low + index));
}

/**
 * Grouped bars: one group per scenario, one bar per concurrency, height = median req/s on a log
 * axis (QIDO's hundreds and /verify's tens of thousands on one chart). Plain SVG, no library.
 */
export function throughputChart(results: ScenarioSummary[], title: string): string {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const concurrencies = [...new Set(results.map((r) => r.connections))].sort((a, b) => a - b);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotHeight;
  const grid = decades(results.map((r) => r.requestsPerSecond));
  const [low, high] = [Math.log10(grid[0]), Math.log10(grid[grid.length - 1])];
  const y = (value: number) => bottom - ((Math.log10(Math.max(value, grid[0])) - low) / (high - low)) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, scenarios.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, concurrencies.length);
  const parts: string[] = [];
  for (const value of grid) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${value.toLocaleString('en-US')}</text>`);
  }
  scenarios.forEach((scenario, group) => {
    const groupX = MARGIN.left + group * groupWidth + groupWidth * 0.1;
    concurrencies.forEach((connections, index) => {
      const result = results.find((r) => r.scenario === scenario && r.connections === connections);
      if (!result) return;
      const top = y(result.requestsPerSecond);
      const label = `${scenario} c${connections}: ${Math.round(result.requestsPerSecond)} req/s`;
      parts.push(`<rect x="${(groupX + index * barWidth).toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - top).toFixed(1)}" fill="${COLORS[index % COLORS.length]}"><title>${escapeXml(label)}</title></rect>`);
    });
    parts.push(`<text transform="translate(${(groupX + 4).toFixed(1)},${bottom + 14}) rotate(35)" text-anchor="start">${escapeXml(scenario)}</text>`);
  });
  concurrencies.forEach((connections, index) => {
    const x = WIDTH - MARGIN.right - (concurrencies.length - index) * 70;
    parts.push(`<rect x="${x}" y="12" width="12" height="12" fill="${COLORS[index % COLORS.length]}"/><text x="${x + 16}" y="22">c${connections}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text transform="translate(18,${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">requests per second (median, log scale)</text>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
