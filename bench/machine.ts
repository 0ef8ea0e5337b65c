import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  // nginx -v prints on stderr, the others on stdout.
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0].trim() || `${command}: unknown version`;
}

function osName(): string {
  const release = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1] ?? process.platform;
}

/** What the figures were measured on: they mean little without it. */
export function describeMachine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    os: osName(),
    node: process.versions.node,
    nginx: firstLine('nginx', ['-v']).replace('nginx version: ', ''),
    orthanc: firstLine('Orthanc', ['--version']).replace('Orthanc ', ''),
    wrk: firstLine('wrk', ['-v']).replace(/ \[.*$/, ''),
    loadAverageBefore: loadavg(),
  };
}
