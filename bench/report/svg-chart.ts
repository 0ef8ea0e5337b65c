import type { ScenarioSummary } from '../summary';

const WIDTH = 960;
const HEIGHT = 440;
const MARGIN = { top: 40, right: 20, bottom: 110, left: 70 };
const COLORS = ['#9ecae1', '#4292c6', '#08519c', '#6baed6', '#2171b5'];
const GRID_LINES = 5;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis maximum: 1, 2 or 5 × a power of ten, at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

/** Grouped bars: one group per scenario, one bar per concurrency, height = median req/s. Plain SVG, no library. */
export function throughputChart(results: ScenarioSummary[], title: string): string {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const concurrencies = [...new Set(results.map((r) => r.connections))].sort((a, b) => a - b);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(0, ...results.map((r) => r.requestsPerSecond)));
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, scenarios.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, concurrencies.length);
  const parts: string[] = [];
  for (let line = 0; line <= GRID_LINES; line += 1) {
    const value = (top * line) / GRID_LINES;
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${Math.round(value).toLocaleString('en-US')}</text>`);
  }
  scenarios.forEach((scenario, group) => {
    const groupX = MARGIN.left + group * groupWidth + groupWidth * 0.1;
    concurrencies.forEach((connections, index) => {
      const result = results.find((r) => r.scenario === scenario && r.connections === connections);
      if (!result) return;
      const x = groupX + index * barWidth;
      const label = `${scenario} c${connections}: ${Math.round(result.requestsPerSecond)} req/s`;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(result.requestsPerSecond).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(MARGIN.top + plotHeight - y(result.requestsPerSecond)).toFixed(1)}" fill="${COLORS[index % COLORS.length]}"><title>${escapeXml(label)}</title></rect>`);
    });
    const labelX = MARGIN.left + (group + 0.5) * groupWidth;
    parts.push(`<text transform="translate(${labelX.toFixed(1)},${MARGIN.top + plotHeight + 14}) rotate(30)" text-anchor="start">${escapeXml(scenario)}</text>`);
  });
  concurrencies.forEach((connections, index) => {
    const x = WIDTH - MARGIN.right - (concurrencies.length - index) * 70;
    parts.push(`<rect x="${x}" y="12" width="12" height="12" fill="${COLORS[index % COLORS.length]}"/><text x="${x + 16}" y="22">c${connections}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text transform="translate(16,${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">requests per second (median)</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
