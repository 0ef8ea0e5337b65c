import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findRestartablePort } from './ports';

/** Debian's PostgreSQL 15 (package `postgresql`, in scripts/install-system-deps.sh's test and bench packages). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'pacsgate';
const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;

/**
 * A real PostgreSQL 15 of its own, in a temp dir, on a free port of 127.0.0.1 (its unix socket in the
 * temp dir), for the tests and the benchmark (durability off: nothing it holds outlives the run).
 * `stop`/`kill` then `start` keep the port and the data, for fault tests.
 */
export interface TestPostgres {
  host: string;
  port: number;
  /** The superuser's URL (`postgres://pacsgate:<password>@127.0.0.1:<port>/postgres`). */
  url: string;
  password: string;
  /** With `tls`: the server's self-signed certificate (for 127.0.0.1), to give clients as `sslrootcert`. */
  certificateFile?: string;
  /** The URL of `database` on this server, as the superuser. */
  urlOf(database: string): string;
  /** Creates an empty database (a fresh random name when none is given) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL as the superuser on `database` (default `postgres`; several statements when there are no params): for set-up and faults. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<Row[]>;
  /** Ends every client connection to `database` from the server side (pg_terminate_backend), as a network cut would. */
  terminateConnections(database: string): Promise<number>;
  /** A fast shutdown (SIGINT): clients are disconnected, the data is kept. */
  stop(): Promise<void>;
  /** SIGKILL to the server and its backends, as a crash; `start` recovers the data. */
  kill(): Promise<void>;
  /** SIGSTOP to the server and its backends: connections stay open but nothing answers (a hung database host). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * initdb refuses to run as root (CI runs the tests as root): as root, PostgreSQL runs as Debian's
 * `postgres` system user, set by Node's spawn (which also drops root's supplementary groups).
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root, PostgreSQL needs the `postgres` system user (apt-get install postgresql)');
  return { uid, gid };
}

function runAs(owner: { uid: number; gid: number } | undefined, binary: string, args: string[]): void {
  const result = spawnSync(join(POSTGRES_BIN, binary), args, { ...owner, encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } });
  if (result.error) throw new Error(`${binary}: ${result.error.message} (is Debian's postgresql installed?)`);
  if (result.status !== 0) throw new Error(`${binary} failed (${result.status}): ${result.stderr}${result.stdout}`);
}

/** Waits for the "ready" log line; fails with the server's last lines if it exits first. */
function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`PostgreSQL not ready within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes(READY_LINE)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`PostgreSQL exited (${code}) before it was ready:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining its log so a full pipe never blocks the server.
      child.stderr?.resume();
    };
    const done = () => (cleanup(), resolve());
    const fail = (error: Error) => (cleanup(), reject(error));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A self-signed certificate for 127.0.0.1 (IP SAN: clients check the name), its key readable by the server only. */
function makeCertificate(dir: string, owner: { uid: number; gid: number } | undefined): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl could not make the test certificate: ${result.stderr}`);
  chmodSync(key, 0o600);
  if (owner) chownSync(key, owner.uid, owner.gid);
  return { cert, key };
}

/** `tls`: also accepts TLS connections (plain ones too), with a certificate made for the run. */
export async function startPostgres({ tls = false }: { tls?: boolean } = {}): Promise<TestPostgres> {
  const owner = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-pg-'));
  const dataDir = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  const host = '127.0.0.1';
  // Stopped and started again on this port by fault tests: nothing else may take it in between.
  const port = await findRestartablePort();
  let certificate: { cert: string; key: string } | undefined;
  try {
    // -N: no fsync of the new cluster; SCRAM over TCP so the URL's password is really checked.
    runAs(owner, 'initdb', ['-D', dataDir, '-U', SUPERUSER, `--pwfile=${join(dir, 'pwfile')}`, '--auth-host=scram-sha-256', '--auth-local=trust',
      '-E', 'UTF8', '--locale=C', '-N']);
    if (tls) certificate = makeCertificate(dir, owner);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const tlsSettings = certificate ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${certificate.cert}`, '-c', `ssl_key_file=${certificate.key}`] : [];

  let server: ChildProcess | undefined;
  const isRunning = () => server !== undefined && server.exitCode === null && server.signalCode === null;
  // A test process that dies leaves no PostgreSQL behind.
  const killOnExit = () => isRunning() && server?.pid && signalServer(server.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    // Test settings: durability off (fsync, full pages), small memory, the socket in the temp dir.
    server = spawn(join(POSTGRES_BIN, 'postgres'), [
      '-D', dataDir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', `unix_socket_directories=${dir}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=16MB', '-c', 'jit=off',
      '-c', 'max_connections=200', ...tlsSettings,
    ], { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } });
    await waitUntilReady(server);
  };
  const signal = async (name: NodeJS.Signals, withChildren: boolean) => {
    if (!server?.pid || !isRunning()) return;
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    if (withChildren) signalServer(server.pid, name);
    else server.kill(name);
    await exited;
  };

  const urlOf = (database: string) => `postgres://${SUPERUSER}:${password}@${host}:${port}/${encodeURIComponent(database)}`;
  const query = async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<Row[]> => {
    const client = new Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      // Without parameters, several statements may go in one string.
      return (await client.query<Row>(sql, params.length > 0 ? params : undefined)).rows;
    } finally {
      await client.end();
    }
  };

  await start().catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    host,
    port,
    url: urlOf('postgres'),
    password,
    certificateFile: certificate?.cert,
    urlOf,
    createDatabase: async (name = `test_${randomBytes(6).toString('hex')}`) => {
      // An identifier cannot be a parameter: quote it.
      await query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      return urlOf(name);
    },
    query,
    terminateConnections: async (database) =>
      (await query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).length,
    stop: () => signal('SIGINT', false),
    kill: () => signal('SIGKILL', true),
    pause: () => server?.pid && signalServer(server.pid, 'SIGSTOP'),
    resume: () => server?.pid && signalServer(server.pid, 'SIGCONT'),
    start,
    destroy: async () => {
      await signal('SIGINT', false);
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The postmaster's children (backends, checkpointer…): each calls setsid(), so a process group would miss them. Linux's /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      // The fields after the command name, in parentheses that may hold spaces: state, then the parent's pid.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/** Signals the postmaster and every process it started, by pid. */
function signalServer(pid: number, name: NodeJS.Signals): void {
  for (const target of [pid, ...childrenOf(pid)]) {
    try {
      process.kill(target, name);
    } catch {
      // Already gone.
    }
  }
}
