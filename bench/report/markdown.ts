import type { ProfileSummary } from '../profile/cpu-profile-summary';
import type { BenchReport } from './bench-report';
import { cpuRatiosTable, cpuTable, p99AddedTable, ratiosTable, resultsTable, rssLine, type Table, targetsTable, viewerLine, viewerTable } from './rows';

function markdownTable({ header, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function profileMarkdown(profile: ProfileSummary): string {
  const areas: Table = { header: ['where', 'self ms', 'share of busy time'], rows: profile.byArea.map((a) => [a.area, a.ms.toFixed(0), `${a.percent.toFixed(1)} %`]) };
  const functions: Table = {
    header: ['function', 'where', 'self ms', 'share'],
    rows: profile.topFunctions.map((f) => [`\`${f.name}\``, f.area, f.ms.toFixed(0), `${f.percent.toFixed(1)} %`]),
  };
  const busyShare = (100 * profile.busyMs) / (profile.busyMs + profile.idleMs);
  return [`Busy ${profile.busyMs.toFixed(0)} ms of ${(profile.busyMs + profile.idleMs).toFixed(0)} ms sampled (${busyShare.toFixed(0)} %).`, markdownTable(areas), markdownTable(functions)].join('\n\n');
}

/** bench/results/report.md: the same figures as the console, with the machine and the chart. */
export function markdownReport(report: BenchReport): string {
  const { machine, settings } = report;
  const sections = [
    '# pacsgate benchmark',
    `Run ${report.startedAt} → ${report.finishedAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.os}, Node ${machine.node}, ${machine.nginx}, Orthanc ${machine.orthanc}, ${machine.wrk}. ` +
      `Load average before/after: ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')} / ${machine.loadAverageAfter.map((l) => l.toFixed(2)).join(' ')}.`,
    `wrk -t${settings.wrkThreads}, ${settings.secondsPerRun} s per run, each scenario ${settings.rounds}× per concurrency in alternating order, medians shown; ` +
      `auth cache ${settings.authCacheSeconds} s as set up (gate-*) and 0 (gate-nocache-*); ${settings.studies} stored studies${settings.quick ? '; quick mode' : ''}.`,
    '![throughput by scenario and concurrency](chart.svg)',
    markdownTable(resultsTable(report)),
    markdownTable(ratiosTable(report)),
    ...[cpuTable(report)].filter((table) => table !== undefined).map(markdownTable),
    markdownTable(cpuRatiosTable(report)),
    markdownTable(p99AddedTable(report)),
    rssLine(report),
    markdownTable(targetsTable(report)),
    ...[viewerTable(report)].filter((table) => table !== undefined).map(markdownTable),
    viewerLine(report),
  ];
  if (report.profiles) {
    sections.push('## Where the auth server spends its time (`node --cpu-prof`), by scenario');
    for (const { scenario, summary } of report.profiles) sections.push(`### ${scenario}`, profileMarkdown(summary));
  }
  if (report.problems.length > 0) sections.push('## Problems', report.problems.map((problem) => `- ${problem}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
