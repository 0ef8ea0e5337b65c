import type { BenchReport } from './bench-report';

/** The cells of the report's tables, shared by the console table and the Markdown report. */
export type Table = { header: string[]; rows: string[][] };

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);

function descriptionOf(report: BenchReport, scenario: string): string {
  return report.scenarios.find((candidate) => candidate.name === scenario)?.description ?? scenario;
}

export function resultsTable(report: BenchReport): Table {
  return {
    header: ['scenario', 'through', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'runs', 'non-2xx', 'socket errors'],
    rows: report.results.map((result) => [
      result.scenario,
      descriptionOf(report, result.scenario),
      String(result.connections),
      rate(result.requestsPerSecond),
      ms(result.p50Ms),
      ms(result.p99Ms),
      String(result.runs),
      String(result.non2xx3xx),
      String(result.socketErrors),
    ]),
  };
}

/** One row per comparison, one column per concurrency. */
function byConnections(title: string, entries: { name: string; connections: number; text: string }[]): Table {
  const connections = [...new Set(entries.map((entry) => entry.connections))];
  const names = [...new Set(entries.map((entry) => entry.name))];
  return {
    header: [title, ...connections.map((c) => `c${c}`)],
    rows: names.map((name) => [name, ...connections.map((c) => entries.find((e) => e.name === name && e.connections === c)?.text ?? '')]),
  };
}

export function ratiosTable(report: BenchReport): Table {
  return byConnections('ratio (req/s)', report.ratios.map((ratio) => ({ ...ratio, text: ratio.value.toFixed(2) })));
}

/** CPU per request of each part, and the share-link pairs compared by it. */
export function cpuTable(report: BenchReport): Table | undefined {
  const timed = report.results.filter((result) => result.cpuUsPerRequest);
  if (timed.length === 0) return undefined;
  const us = (value: number) => value.toFixed(0);
  return {
    header: ['CPU µs per request', 'conns', 'auth server', 'Nginx', 'Orthanc', 'total'],
    rows: timed.map(({ scenario, connections, cpuUsPerRequest: cpu }) => {
      const { authServer, nginx, orthanc } = cpu as NonNullable<typeof cpu>;
      return [scenario, String(connections), us(authServer), us(nginx), us(orthanc), us(authServer + nginx + orthanc)];
    }),
  };
}

export function cpuRatiosTable(report: BenchReport): Table {
  return byConnections('ratio (CPU per request, reference ÷ subject)', (report.cpuRatios ?? []).map((ratio) => ({ ...ratio, text: ratio.value.toFixed(2) })));
}

export function p99AddedTable(report: BenchReport): Table {
  return byConnections('p99 added (ms)', report.p99Added.map((entry) => ({ ...entry, text: entry.ms.toFixed(2) })));
}

export function targetsTable(report: BenchReport): Table {
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'NOT met');
  return { header: ['target', 'measured', 'verdict'], rows: report.targets.map((t) => [t.target, t.measured, verdict(t.met)]) };
}

export function rssLine(report: BenchReport): string {
  const { rss } = report;
  return rss
    ? `auth server RSS: ${rss.beforeMb.toFixed(1)} MB before the load, ${rss.peakMb.toFixed(1)} MB at peak, ${rss.afterMb.toFixed(1)} MB after`
    : 'auth server RSS: not measured';
}

export function viewerTable(report: BenchReport): Table | undefined {
  if (!report.viewer) return undefined;
  return {
    header: ['OHIF study load through', 'loads', 'first image ms', 'all frames ms', 'PACS requests', 'viewer file requests'],
    rows: report.viewer.summaries.map((summary) => [
      summary.target,
      String(summary.loads),
      summary.firstImageMs.toFixed(0),
      summary.allFramesMs.toFixed(0),
      String(summary.pacsRequests),
      String(summary.viewerFileRequests),
    ]),
  };
}

export function viewerLine(report: BenchReport): string {
  const viewer = report.viewer;
  if (!viewer) return 'OHIF study load: not measured (--skip-viewer).';
  return `OHIF, ${viewer.slices}-slice study, warm browser cache: baseline ÷ gate = ${viewer.firstImageRatio.toFixed(2)} to the first image, ` +
    `${viewer.allFramesRatio.toFixed(2)} to all frames (goal ≥ 0.95); of the uncached gate's PACS requests per load, a ${viewer.authCacheSeconds} s auth cache ` +
    `would answer ${viewer.absorbedByAuthCache} itself.`;
}
