import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ConfigLayout } from '../../auth-server/src/config-files';
import { ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { basicAuthorization } from '../nginx-config';
import { NGINX_BINARY } from '../../scripts/stack/start-stack';
import { Registry } from './modality';

const POLL_MS = 100;

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid` (Nginx's workers), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((entry) => {
    try {
      // Field 4 of /proc/PID/stat, after the parenthesised command name.
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      return parent === pid ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

const OLD_WORKERS_GONE_WITHIN_MS = 10000;

/**
 * Resolves once the workers that ran before the reload have exited, so no connection is accepted
 * under the old configuration any more (a worker still carrying an association may take longer:
 * then after a few seconds).
 */
async function oldWorkersGone(master: number, oldWorkers: number[]): Promise<void> {
  const deadline = Date.now() + OLD_WORKERS_GONE_WITHIN_MS;
  while (Date.now() < deadline) {
    const current = childrenOf(master);
    if (!oldWorkers.some((worker) => current.includes(worker)) && current.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Makes a running Nginx read its configuration again (SIGHUP to the master: new workers, open
 * connections finish on the old ones), after checking the new one. False when none runs.
 */
export async function reloadNginx(layout: ConfigLayout): Promise<boolean> {
  if (!existsSync(layout.nginxPid)) return false;
  const pid = Number(readFileSync(layout.nginxPid, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return false;
  try {
    execFileSync(NGINX_BINARY, ['-t', '-q', '-p', layout.nginxRuntime, '-c', layout.nginxConfig], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`Nginx refuses the new configuration, the running one is kept:\n${(error as { stderr?: Buffer }).stderr?.toString() ?? ''}`, { cause: error });
  }
  const oldWorkers = childrenOf(pid);
  process.kill(pid, 'SIGHUP');
  await oldWorkersGone(pid, oldWorkers);
  return true;
}

const RESTART_WITHIN_MS = 20000;

async function orthancModalities(baseUrl: string, authorization: string): Promise<string[] | null> {
  try {
    const response = await fetch(`${baseUrl}/modalities`, { headers: { authorization }, signal: AbortSignal.timeout(2000) });
    return response.ok ? ((await response.json()) as string[]).sort() : null;
  } catch {
    return null;
  }
}

/**
 * Restarts a running Orthanc in place (`POST /tools/reset`: it reads its configuration files again;
 * stored studies stay) and waits until it lists exactly the registry's modalities. False when none runs.
 */
export async function reloadOrthanc(layout: ConfigLayout, orthancHttpPort: number, registry: Registry): Promise<boolean> {
  const baseUrl = `http://127.0.0.1:${orthancHttpPort}`;
  const authorization = basicAuthorization(ORTHANC_USER, readFileSync(layout.orthancNginxPassword, 'utf8').trim());
  if ((await orthancModalities(baseUrl, authorization)) === null) return false;
  const response = await fetch(`${baseUrl}/tools/reset`, { method: 'POST', headers: { authorization }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`Orthanc refused to reload its configuration (HTTP ${response.status})`);
  const wanted = JSON.stringify(registry.modalities.map((modality) => modality.name).sort());
  const deadline = Date.now() + RESTART_WITHIN_MS;
  while (JSON.stringify(await orthancModalities(baseUrl, authorization)) !== wanted) {
    if (Date.now() > deadline) throw new Error(`Orthanc did not come back with the new modalities within ${RESTART_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}
