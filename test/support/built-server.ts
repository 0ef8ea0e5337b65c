import bcrypt from 'bcrypt';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../scripts/stack/ports';
import { AUTH_SERVER_NODE_ARGS } from '../../scripts/stack/start-stack';
import { ADMIN_PASSWORD } from './test-app';

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'auth-server', 'src');
/** Under node_modules so the build finds the repository's package.json and modules by walking up, as dist/ does. */
const CACHE = join(ROOT, 'node_modules', '.cache', 'pacsgate-test-build');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/**
 * Compiles the auth server (its sources only, as they are now) into a folder named by their hash
 * and returns the path of its main.js. Jest workers building at once each build privately and the
 * first rename wins, so a test never runs a half-written build, nor races `npm run build` on dist/.
 */
export function buildAuthServer(): string {
  const hash = createHash('sha256');
  for (const path of [...sourceFiles(SOURCES), join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json')]) {
    hash.update(path).update(readFileSync(path));
  }
  const outDir = join(CACHE, hash.digest('hex').slice(0, 16));
  const mainJs = join(outDir, 'auth-server', 'src', 'main.js');
  if (existsSync(mainJs)) return mainJs;

  mkdirSync(CACHE, { recursive: true });
  const building = mkdtempSync(join(CACHE, 'building-'));
  const tsconfig = join(building, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({
    extends: join(ROOT, 'tsconfig.build.json'),
    compilerOptions: { rootDir: ROOT, outDir: building, sourceMap: false },
    include: [SOURCES],
  }));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { stdio: 'pipe' });
  try {
    renameSync(building, outDir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return mainJs;
}

/** A temp config dir as `npm run setup` leaves it, as far as the server needs: the admin hash file. */
export function createConfigDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-fault-'));
  writeFileSync(join(dir, 'admin-password.bcrypt'), `${bcrypt.hashSync(ADMIN_PASSWORD, 4)}\n`, { mode: 0o600 });
  return dir;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  exited: Promise<Exit>;
  stderr(): string;
  stop(): Promise<Exit>;
}

/** The server's environment for a config dir: loopback, cheap bcrypt, quiet logs. */
export function serverEnv(configDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    PACSGATE_HOST: '127.0.0.1',
    PACSGATE_PORT: String(port),
    PACSGATE_CONFIG_DIR: configDir,
    PACSGATE_PUBLIC_URL: 'https://pacs.example.org',
    PACSGATE_ALLOWED_ORIGINS: 'https://viewer.example.org',
    PACSGATE_BCRYPT_COST: '4',
    PACSGATE_LOG_LEVEL: 'error',
    ...extra,
  };
}

/** Runs the built main.js to completion (for start-up failures): exit code and output. */
export function runAuthServer(env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<Exit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...AUTH_SERVER_NODE_ARGS, buildAuthServer()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stdout, stderr });
  }));
}

/** Starts the built main.js on `configDir` and resolves once /healthz answers. */
export async function startAuthServer(configDir: string, extraEnv: Record<string, string> = {}, port?: number): Promise<ChildServer> {
  const chosenPort = port ?? (await findFreePort());
  const child = spawn(process.execPath, [...AUTH_SERVER_NODE_ARGS, buildAuthServer()], { env: serverEnv(configDir, chosenPort, extraEnv), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  void exited.then(() => (running = false));
  const url = `http://127.0.0.1:${chosenPort}`;
  for (let attempt = 0; ; attempt++) {
    if (!running) throw new Error(`auth server exited during start-up: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (attempt > 200) {
      child.kill('SIGKILL');
      throw new Error(`auth server did not answer /healthz: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    pid: child.pid as number,
    port: chosenPort,
    url,
    exited,
    stderr: () => stderr,
    stop: () => {
      if (running) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface ConfigDirSuite {
  /** The config dir, set once the suite's beforeAll ran. */
  readonly dir: string;
  /** Starts a server on the dir; every one started is stopped after the suite. */
  start(extraEnv?: Record<string, string>): Promise<ChildServer>;
}

/** For the describe block it is called in: the build, one fresh config dir, and the clean-up after. */
export function configDirPerSuite(): ConfigDirSuite {
  const started: ChildServer[] = [];
  let dir = '';
  beforeAll(() => {
    buildAuthServer();
    dir = createConfigDir();
  }, 180_000);
  afterAll(async () => {
    for (const server of started) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    start: async (extraEnv = {}) => {
      const server = await startAuthServer(dir, extraEnv);
      started.push(server);
      return server;
    },
  };
}
