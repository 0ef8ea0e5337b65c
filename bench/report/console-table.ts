import type { BenchReport } from './bench-report';
import { cpuRatiosTable, cpuTable, p99AddedTable, ratiosTable, resultsTable, rssLine, type Table, targetsTable, viewerLine, viewerTable } from './rows';

function aligned({ header, rows }: Table): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  // Text columns left, figures right: figures line up by their last digit.
  const numeric = header.map((_cell, column) => rows.every((row) => /^[-\d.,]*$/.test(row[column])));
  const line = (cells: string[]) => cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** What `npm run bench` prints when it is done. */
export function consoleReport(report: BenchReport): string {
  const viewer = viewerTable(report);
  const cpu = cpuTable(report);
  const sections = [aligned(resultsTable(report)), aligned(ratiosTable(report)), ...(cpu ? [aligned(cpu), aligned(cpuRatiosTable(report))] : [])];
  sections.push(aligned(p99AddedTable(report)), rssLine(report), aligned(targetsTable(report)));
  sections.push(...(viewer ? [aligned(viewer)] : []), viewerLine(report));
  if (report.problems.length > 0) sections.push(`Problems:\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}
