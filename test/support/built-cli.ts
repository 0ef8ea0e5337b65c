import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildAuthServer, type ChildServer, createConfigDir, startAuthServer } from './built-server';

export interface ServerProcess {
  server: ChildServer;
  configDir: string;
}

/** A built server process on a fresh config dir, for the describe block this is called in. */
export function serverProcessPerSuite(extraEnv: Record<string, string> = {}): ServerProcess {
  const running = {} as ServerProcess;
  // The first start compiles the server (cached by its sources' hash): slow on a fresh clone.
  beforeAll(async () => {
    running.configDir = createConfigDir();
    running.server = await startAuthServer(running.configDir, extraEnv);
  }, 180_000);
  afterAll(async () => {
    await running.server?.stop();
    rmSync(running.configDir, { recursive: true, force: true });
  });
  return running;
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run keys` or `npm run users` as a real second process, from the same build the test
 * server runs (scripts/keys.ts and scripts/users.ts call these functions the same way).
 */
export function runBuiltCommand(command: 'keys' | 'users', args: string[], env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  const cliDir = join(dirname(buildAuthServer()), 'cli');
  const script = [
    `const { processOutput } = require(${JSON.stringify(join(cliDir, 'cli.js'))});`,
    `const { ${command}Command } = require(${JSON.stringify(join(cliDir, `${command}-command.js`))});`,
    // Both commands resolve to their exit code.
    `Promise.resolve(${command}Command(process.argv.slice(1), process.env, processOutput)).then((code) => { process.exitCode = code; });`,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs` with what it last saw. */
export async function eventually<T>(check: () => Promise<T> | T, holds: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A user's access token from a server process: `/generate-token`, then the exchange. */
export async function sessionOverHttp(url: string, username: string, adminPassword: string): Promise<{ authKid: string; accessToken: string }> {
  const issued = await fetch(`${url}/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Process User', username, password: adminPassword, createUserIfNotExists: true }),
  });
  const { token } = (await issued.json()) as { token: string };
  const exchanged = await fetch(`${url}/generate-access-token`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  const authKid = String((JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid?: unknown }).kid);
  return { authKid, accessToken: String(exchanged.headers.get('authorization')).slice('Bearer '.length) };
}

/** `/verify` on a server process with the token as a bearer. */
export const verifyOverHttp = async (url: string, accessToken: string, uri = '/dicom-web/studies'): Promise<number> =>
  (await fetch(`${url}/verify`, { headers: { Authorization: `Bearer ${accessToken}`, 'X-Original-URI': uri } })).status;
