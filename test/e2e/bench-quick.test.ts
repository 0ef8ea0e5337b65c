import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions } from '../../bench/options';
import type { BenchReport } from '../../bench/report/bench-report';
import { MAX_TRANSACTIONS_PER_VERIFY } from '../../bench/report/targets';
import { writeReport } from '../../bench/report/write-report';
import { runBench } from '../../bench/run-bench';

// The harness in quick mode (1 s per scenario, one concurrency), so `npm run bench` cannot rot
// unnoticed. It checks that every scenario ran and answered right, never how fast.

const EVERY_SCENARIO = [
  'baseline-system', 'gate-system', 'gate-nocache-system', 'ceiling-system', 'baseline-qido', 'gate-qido', 'gate-nocache-qido',
  'gate-invalid-token', 'gate-forged-tokens', 'gate-invalid-query-token', 'gate-forged-query-tokens', 'verify-direct',
  'gate-frames-full', 'gate-frames-scoped', 'gate-rest-full', 'gate-rest-scoped',
  'replicas-sqlite-1', 'replicas-sqlite-2', 'replicas-pg-1', 'replicas-pg-2',
];
const FLOODS = ['gate-invalid-token', 'gate-forged-tokens', 'gate-invalid-query-token', 'gate-forged-query-tokens'];

let outDir: string;
let report: BenchReport;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'pacsgate-bench-test-'));
  // The OHIF study load is left to `npm run bench`: a browser load would double this file's time.
  const options = parseBenchOptions(['--quick', '--skip-viewer', '--out', outDir]);
  writeReport(await runBench(options, () => undefined), outDir);
  report = JSON.parse(readFileSync(join(outDir, 'bench.json'), 'utf8')) as BenchReport;
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('measures every scenario and writes the JSON, the Markdown report and the chart', () => {
  expect(report.results.map((result) => result.scenario).sort()).toEqual([...EVERY_SCENARIO].sort());
  expect(report.results.every((result) => result.requests > 0)).toBe(true);
  expect(readFileSync(join(outDir, 'report.md'), 'utf8')).toContain('| gate-system |');
  expect(readFileSync(join(outDir, 'chart.svg'), 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
});

it('lets no invalid-token request reach Orthanc, and refuses every one', () => {
  for (const name of FLOODS) {
    const flood = report.results.find((result) => result.scenario === name);
    expect(flood).toMatchObject({ reachedOrthanc: 0, non2xx3xx: flood?.requests });
  }
});

it('counts PostgreSQL transactions around the PostgreSQL replicas’ runs: far fewer than their /verify requests', () => {
  const counted = report.results.filter((result) => result.databaseTransactions);
  expect(counted.map((result) => result.scenario)).toEqual(['replicas-pg-1', 'replicas-pg-2']);
  for (const { databaseTransactions } of counted) expect(databaseTransactions?.perRequest).toBeLessThan(MAX_TRANSACTIONS_PER_VERIFY);
});

it('reports no failed run and no wrong answer', () => {
  expect(report.problems).toEqual([]);
  expect(report.rss?.peakMb).toBeGreaterThan(0);
});
