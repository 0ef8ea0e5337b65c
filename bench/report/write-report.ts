import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from './bench-report';
import { markdownReport } from './markdown';
import { throughputChart } from './svg-chart';

export interface WrittenReport {
  json: string;
  markdown: string;
  chart: string;
}

/** bench.json (every figure and sample), report.md and chart.svg in `dir`. */
export function writeReport(report: BenchReport, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const written = { json: join(dir, 'bench.json'), markdown: join(dir, 'report.md'), chart: join(dir, 'chart.svg') };
  writeFileSync(written.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(written.markdown, markdownReport(report));
  writeFileSync(written.chart, throughputChart(report.results, `pacsgate: throughput by scenario and concurrency (${report.startedAt.slice(0, 10)})`));
  return written;
}
