import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../auth-server/src/config-files';
import { localNginxSettings } from '../setup/local-configs';
import { noQuestionsPrompter } from '../setup/prompt';
import { REPO_ROOT } from '../setup/repo-root';
import { runSetup } from '../setup/run-setup';
import { settingsOnFreePorts } from '../scripts/stack/free-settings';
import { findFreePort } from '../scripts/stack/ports';
import { StackChild } from '../scripts/stack/child';
import { waitUntilHealthy } from '../scripts/stack/probe';
import { AUTH_SERVER_NODE_ARGS, startStack } from '../scripts/stack/start-stack';
import { type ExtraNginx, startExtraNginx, withoutAuthRequest } from './extra-nginx';
import type { BenchEndpoints } from './scenarios';


export interface BenchStack {
  endpoints: BenchEndpoints;
  orthancUrl: string;
  orthancAuthorization: string;
  authServerPid: number;
  adminPassword: string;
  /** Where the stack's keys are, and the public URL its tokens name: the benchmark signs a share link with them. */
  configDir: string;
  publicUrl: string;
  /** The stack's last output lines, for a message when something fails. */
  recentOutput(): string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Every line Orthanc prints (the request count reads them). */
  onOrthancLine: (line: string) => void;
  /** Node options for the auth server, e.g. `--cpu-prof`. */
  authServerNodeArgs: string[];
}

const KEPT_LINES = 100;
const HEALTHY_WITHIN_MS = 20_000;
/** Built by `npm install` like the auth server: tests run this file from its TypeScript source. */
const BARE_VERIFY_SERVER = join(REPO_ROOT, 'dist', 'bench', 'bare-verify-server.js');

/** The do-nothing auth server of the ceiling scenario, started as the stack starts pacsgate's. */
async function startBareVerifyServer(port: number, onLog: (source: string, line: string) => void): Promise<StackChild> {
  const child = StackChild.start('bare-verify', process.execPath, [...AUTH_SERVER_NODE_ARGS, BARE_VERIFY_SERVER, String(port)], process.env, onLog);
  try {
    await waitUntilHealthy(child, `http://127.0.0.1:${port}/healthz`, HEALTHY_WITHIN_MS);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}


/**
 * The stack `npm run stack` runs (its Nginx with the default auth cache), on free loopback ports and
 * a throwaway config dir, plus three more Nginx instances rendered from the same template: the gate
 * with PACSGATE_AUTH_CACHE_SECONDS=0, the baseline without `auth_request`, and the ceiling, whose
 * `auth_request` goes to a do-nothing Node server instead of pacsgate. All share Orthanc.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const configDir = mkdtempSync(join(tmpdir(), 'pacsgate-bench-'));
  const lines: string[] = [];
  const onLog = (source: string, line: string) => {
    if (source === 'orthanc') options.onOrthancLine(line);
    lines.push(`[${source}] ${line}`);
    if (lines.length > KEPT_LINES) lines.shift();
  };
  const extras: ExtraNginx[] = [];
  const bareVerify: StackChild[] = [];
  let stopStack = (): Promise<void> => Promise.resolve();
  const stop = async () => {
    for (const child of [...extras.map((extra) => extra.child), ...bareVerify]) await child.stop();
    await stopStack();
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    // The defaults, PACSGATE_AUTH_CACHE_SECONDS included; 127.0.0.1, where the extra instances listen too.
    const settings = await settingsOnFreePorts(configDir, (httpsPort) => ({ PACSGATE_PUBLIC_URL: `https://127.0.0.1:${httpsPort}` }));
    const adminPassword = randomBytes(18).toString('base64url');
    await runSetup({ settings, yes: true, force: false, adminPassword, prompter: noQuestionsPrompter, log: (line) => onLog('setup', line) });
    const stack = await startStack({
      settings,
      accessLog: false,
      onLog,
      baseEnv: { ...process.env, PACSGATE_LOG_LEVEL: 'warn' },
      authServerNodeArgs: options.authServerNodeArgs,
    });
    stopStack = () => stack.stop();
    const layout = configLayout(configDir);
    // No cache dir given: these two render without the auth cache.
    const uncached = localNginxSettings(layout, settings, { accessLog: false });
    const ports = async () => ({ httpsPort: await findFreePort(), httpPort: await findFreePort() });
    extras.push(await startExtraNginx('nginx-gate-nocache', { ...uncached, ...(await ports()), runtimeDir: join(configDir, 'nginx-gate') }, (config) => config, onLog));
    extras.push(await startExtraNginx('nginx-baseline', { ...uncached, ...(await ports()), runtimeDir: join(configDir, 'nginx-baseline') }, withoutAuthRequest, onLog));
    const barePort = await findFreePort();
    bareVerify.push(await startBareVerifyServer(barePort, onLog));
    const ceiling = { ...uncached, ...(await ports()), authServers: [`127.0.0.1:${barePort}`], runtimeDir: join(configDir, 'nginx-ceiling') };
    extras.push(await startExtraNginx('nginx-ceiling', ceiling, (config) => config, onLog));
    return {
      endpoints: {
        gateUrl: settings.publicUrl,
        uncachedGateUrl: extras[0].url,
        baselineUrl: extras[1].url,
        ceilingUrl: extras[2].url,
        authServerUrl: `http://127.0.0.1:${settings.authPort}`,
      },
      orthancUrl: `http://127.0.0.1:${settings.orthancHttpPort}`,
      orthancAuthorization: uncached.orthancAuthorization,
      authServerPid: stack.authServer.pid as number,
      adminPassword,
      configDir,
      publicUrl: settings.publicUrl,
      recentOutput: () => lines.join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${lines.join('\n')}`, { cause: error });
  }
}
