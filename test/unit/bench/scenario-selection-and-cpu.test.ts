import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions } from '../../../bench/options';
import { cpuUsed, readStackCpu } from '../../../bench/process-cpu';
import { cpuRatios } from '../../../bench/report/ratios';
import type { Scenario } from '../../../bench/scenario';
import { selectScenarios } from '../../../bench/scenarios';
import { summarize } from '../../../bench/summary';
import type { WrkResult } from '../../../bench/wrk/parse-wrk';

const scenario = (name: string): Scenario => ({ name, description: name, url: 'https://127.0.0.1:1/', headers: {}, expect: 'allowed' });
const result = (requests: number): WrkResult => ({
  requests, seconds: 1, requestsPerSecond: requests, p50Ms: 1, p99Ms: 1, non2xx3xx: 0, socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
});

describe('--only', () => {
  const all = ['gate-system', 'gate-frames-full', 'gate-frames-scoped', 'gate-rest-full', 'verify-direct'].map(scenario);

  it('keeps the scenarios whose name starts with one of its prefixes, in their order', () => {
    const { only } = parseBenchOptions(['--only', 'gate-rest, gate-frames']);
    expect(only).toEqual(['gate-rest', 'gate-frames']);
    expect(selectScenarios(all, only).map(({ name }) => name)).toEqual(['gate-frames-full', 'gate-frames-scoped', 'gate-rest-full']);
    expect(selectScenarios(all, parseBenchOptions([]).only)).toBe(all);
  });

  it('refuses prefixes that name no scenario, listing those there are', () => {
    expect(() => selectScenarios(all, ['gate-sytem'])).toThrow('--only gate-sytem names no scenario; there are: gate-system, gate-frames-full');
  });
});

describe('CPU per request', () => {
  it('counts the stack processes below the benchmark, by part, and the auth server by its pid', async () => {
    // A busy child whose command is named like Nginx's (the name of the file it runs); this process stands for the auth server.
    const dir = mkdtempSync(join(tmpdir(), 'pacsgate-cpu-'));
    symlinkSync('/bin/sh', join(dir, 'nginx'));
    const busy = spawn(join(dir, 'nginx'), ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    try {
      const before = readStackCpu(process.pid, process.pid);
      let used = cpuUsed(before, before);
      // Whatever the machine's load, both burn CPU until /proc counts some (it counts in 10 ms ticks).
      for (let tries = 0; tries < 100 && (used.nginx === 0 || used.authServer === 0); tries += 1) {
        const until = Date.now() + 50;
        while (Date.now() < until);
        await new Promise((resolve) => setTimeout(resolve, 50));
        used = cpuUsed(before, readStackCpu(process.pid, process.pid));
      }
      expect(used.nginx).toBeGreaterThan(0);
      expect(used.authServer).toBeGreaterThan(0);
      expect(used.orthanc).toBe(0);
    } finally {
      busy.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sums CPU over the runs per request, and compares share link and full token by it', () => {
    const sample = (name: string, requests: number, authServer: number) => ({
      scenario: name, connections: 32, round: 0, result: result(requests), cpuMs: { authServer, nginx: 100, orthanc: 100 }, fromUs: 0, toUs: 1,
    });
    const summaries = summarize([scenario('gate-rest-full'), scenario('gate-rest-scoped')], [32], [
      sample('gate-rest-full', 1000, 100), sample('gate-rest-full', 3000, 300), sample('gate-rest-scoped', 2000, 400),
    ]);
    expect(summaries[0].cpuUsPerRequest).toEqual({ authServer: 100, nginx: 50, orthanc: 50 });
    expect(summaries[1].cpuUsPerRequest).toEqual({ authServer: 200, nginx: 50, orthanc: 50 });
    expect(cpuRatios(summaries)).toEqual([{ name: 'gate-rest-scoped / gate-rest-full', connections: 32, value: 200 / 300 }]);
  });
});
