import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWrkOutput, type WrkResult } from './parse-wrk';

export interface WrkLoad {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** A Lua script's source, for requests that change as the load runs. */
  script?: string;
}

export const WRK_THREADS = 2;
const REQUEST_TIMEOUT = '5s';
// wrk stops itself after `seconds`; this only catches a wrk that hangs.
const GRACE_MS = 20_000;

export function wrkArguments(load: WrkLoad, scriptPath?: string): string[] {
  const headers = Object.entries(load.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const script = scriptPath ? ['-s', scriptPath] : [];
  return ['-t', String(WRK_THREADS), '-c', String(load.connections), '-d', `${load.seconds}s`, '--latency', '--timeout', REQUEST_TIMEOUT, ...script, ...headers, load.url];
}

/** Runs wrk once against a loopback URL and returns what it measured. */
export function runWrk(load: WrkLoad): Promise<WrkResult> {
  const url = new URL(load.url);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`the benchmark only loads loopback addresses, not ${url.hostname}`));
  const scriptDir = load.script === undefined ? undefined : mkdtempSync(join(tmpdir(), 'pacsgate-bench-wrk-'));
  const scriptPath = scriptDir && join(scriptDir, 'load.lua');
  if (scriptPath) writeFileSync(scriptPath, load.script as string);
  return new Promise((resolve, reject) => {
    execFile('wrk', wrkArguments(load, scriptPath), { timeout: load.seconds * 1000 + GRACE_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
      if (error) return reject(new Error(`wrk ${load.url} failed: ${error.message}\n${stdout}${stderr}`));
      try {
        resolve(parseWrkOutput(stdout));
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}
