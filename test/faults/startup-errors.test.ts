import bcrypt from 'bcrypt';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../scripts/stack/ports';
import { buildAuthServer, createConfigDir, runAuthServer, serverEnv, startAuthServer } from '../support/built-server';

/** Every *.pem file below `dir`, wherever the keyring keeps them. */
function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesEndingWith(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

/** A config dir the server has run on once: keys, database and secrets in place. */
async function configuredDir(): Promise<string> {
  const dir = createConfigDir();
  await (await startAuthServer(dir)).stop();
  return dir;
}

async function expectCleanStartupFailure(env: NodeJS.ProcessEnv, ...named: Array<string | RegExp>): Promise<string> {
  const { code, signal, stdout, stderr } = await runAuthServer(env);
  expect({ code, signal }).toEqual({ code: 1, signal: null });
  expect(stderr).toMatch(/^pacsgate: cannot start: /);
  for (const part of named) expect(stderr).toMatch(typeof part === 'string' ? new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : part);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/node:internal|\.js:\d+/);
  expect(stdout).not.toMatch(/\n\s+at /);
  return stderr;
}

describe('start-up failures of the built server: exit 1 and one clear line, no stack trace', () => {
  const dirs: string[] = [];
  const keep = (dir: string) => (dirs.push(dir), dir);
  const adminHash = bcrypt.hashSync('admin', 4);

  beforeAll(() => {
    buildAuthServer();
  }, 120_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('names a config dir that cannot be created (a path below a regular file: fails even as root)', async () => {
    const parent = keep(createConfigDir());
    writeFileSync(join(parent, 'a-file'), 'not a directory');
    const configDir = join(parent, 'a-file', 'config');
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort(), { PACSGATE_ADMIN_PASSWORD_HASH: adminHash }), configDir, 'ENOTDIR');
  });

  it('names the signing-key folder when only it cannot be created', async () => {
    const configDir = keep(createConfigDir());
    writeFileSync(join(configDir, 'signing-keys'), 'a file where the folder should be');
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), join(configDir, 'signing-keys'));
  });

  it('names a signing key file that is not a key', async () => {
    const configDir = keep(await configuredDir());
    const [keyFile] = filesEndingWith(configDir, '.pem');
    writeFileSync(keyFile, 'this is not a PEM file\n');
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), keyFile, 'not a readable PEM private key');
  });

  it('names a signing key file cut short', async () => {
    const configDir = keep(await configuredDir());
    const [keyFile] = filesEndingWith(configDir, '.pem');
    const pem = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, pem.slice(0, pem.length / 2));
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), keyFile, 'not a readable PEM private key');
  });

  it('names a signing key that is too weak', async () => {
    const configDir = keep(await configuredDir());
    const [keyFile] = filesEndingWith(configDir, '.pem');
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(keyFile, weak);
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), keyFile, 'at least 2048 bits');
  });

  it('names the current-key pointer when its key is gone', async () => {
    const configDir = keep(await configuredDir());
    for (const keyFile of filesEndingWith(configDir, '.pem')) rmSync(keyFile);
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), /names key \S+, which is not in/);
  });

  it('names a database file that is not a database', async () => {
    const configDir = keep(await configuredDir());
    const [database] = filesEndingWith(configDir, '.sqlite');
    for (const companion of [`${database}-wal`, `${database}-shm`]) rmSync(companion, { force: true });
    writeFileSync(database, Buffer.alloc(8192, 'garbage!'));
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), database);
  });

  it('names a database path that cannot be opened', async () => {
    const configDir = keep(await configuredDir());
    const [database] = filesEndingWith(configDir, '.sqlite');
    for (const file of [database, `${database}-wal`, `${database}-shm`]) rmSync(file, { force: true });
    mkdirSync(database);
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), database);
  });

  it('names a PostgreSQL database it cannot reach, never its password', async () => {
    const configDir = keep(createConfigDir());
    const port = await findFreePort();
    const env = serverEnv(configDir, await findFreePort(), { PACSGATE_DATABASE_URL: `postgres://pacsgate:Never-Shown-7@127.0.0.1:${port}/pacsgate` });
    const stderr = await expectCleanStartupFailure(env, `PostgreSQL database pacsgate on 127.0.0.1:${port}`, 'ECONNREFUSED');
    expect(stderr).not.toContain('Never-Shown-7');
  });

  it('names an admin password hash file that holds no hash', async () => {
    const configDir = keep(createConfigDir());
    writeFileSync(join(configDir, 'admin-password.bcrypt'), 'password123\n');
    await expectCleanStartupFailure(serverEnv(configDir, await findFreePort()), 'PACSGATE_ADMIN_PASSWORD_HASH', join(configDir, 'admin-password.bcrypt'));
  });

  it('names the address when the port is taken', async () => {
    const configDir = keep(createConfigDir());
    const running = await startAuthServer(configDir, {}, await findFreePort());
    try {
      await expectCleanStartupFailure(serverEnv(configDir, running.port), 'EADDRINUSE', `127.0.0.1:${running.port}`);
    } finally {
      await running.stop();
    }
  });
});
