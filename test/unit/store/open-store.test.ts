import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliOutput } from '../../../auth-server/src/cli/cli';
import { usersCommand } from '../../../auth-server/src/cli/users-command';
import { loadConfig } from '../../../auth-server/src/config';
import { configLayout } from '../../../auth-server/src/config-files';
import { openStore } from '../../../auth-server/src/store/open-store';
import { findFreePort } from '../../../scripts/stack/ports';
import { startPostgres, type TestPostgres } from '../../support/postgres';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres.destroy());

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pacsgate-open-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HASH = `$2b$04$${'a'.repeat(53)}`;
const env = (extra: Record<string, string> = {}) => ({ PACSGATE_CONFIG_DIR: dir, PACSGATE_ADMIN_PASSWORD_HASH: HASH, SUDO_USER: 'operator', ...extra });
const fields = (username: string) => ({ username, name: 'Dr. Store', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null });

/** `npm run users -- …args` in this process, as an operator runs it beside the server. */
async function users(args: string[], values: Record<string, string>) {
  const run = { code: -1, out: [] as string[], err: [] as string[] };
  const output: CliOutput = { out: (line) => void run.out.push(line), error: (line) => void run.err.push(line) };
  run.code = await usersCommand(args, values, output);
  return run;
}

it('opens SQLite in the config dir when no PostgreSQL URL is set', async () => {
  const store = await openStore(loadConfig(env()));
  await store.users.upsert(fields('on-sqlite'), 1);
  await store.close();
  expect(existsSync(configLayout(dir).database)).toBe(true);
});

it('opens PostgreSQL when PACSGATE_DATABASE_URL is set, with no SQLite file', async () => {
  const url = await postgres.createDatabase('opened');
  const store = await openStore(loadConfig(env({ PACSGATE_DATABASE_URL: url })));
  await store.users.upsert(fields('on-postgres'), 1);
  await store.close();
  expect(await postgres.query('SELECT username FROM users', [], 'opened')).toEqual([{ username: 'on-postgres' }]);
  expect(existsSync(configLayout(dir).database)).toBe(false);
});

it('runs `npm run users` on PostgreSQL, the URL read from PACSGATE_DATABASE_URL_FILE', async () => {
  const url = await postgres.createDatabase('cli');
  const seeded = await openStore(loadConfig(env({ PACSGATE_DATABASE_URL: url })));
  const user = await seeded.users.upsert(fields('radiologist'), 1);
  await seeded.tokens.createFamily({ id: 'fam-cli', userId: user.id, audience: null, expiresAt: 4_000_000_000 }, 1);
  await seeded.close();
  const urlFile = join(dir, 'database-url');
  writeFileSync(urlFile, `${url}\n`);

  const listed = await users(['list'], env({ PACSGATE_DATABASE_URL_FILE: urlFile }));
  expect(listed).toMatchObject({ code: 0, err: [] });
  expect(listed.out[1]).toMatch(/^radiologist\s+Dr\. Store\s+read\s+token only\s+1$/);
  expect(await users(['revoke', 'radiologist'], env({ PACSGATE_DATABASE_URL_FILE: urlFile }))).toMatchObject({ code: 0, out: [expect.stringMatching(/^Revoked 1 token/)] });
  expect(await postgres.query('SELECT family_id FROM revocations', [], 'cli')).toEqual([{ family_id: 'fam-cli' }]);
});

it('reports a database it cannot reach in one line naming it, without the password', async () => {
  const url = `postgres://pacsgate:Hidden-Pw-9@127.0.0.1:${await findFreePort()}/pacsgate`;
  const run = await users(['list'], env({ PACSGATE_DATABASE_URL: url }));
  expect(run).toMatchObject({ code: 1, out: [], err: [expect.stringMatching(/^pacsgate: PostgreSQL database pacsgate on 127\.0\.0\.1:\d+: .*ECONNREFUSED/)] });
  expect(run.err.join('\n')).not.toContain('Hidden-Pw-9');
});
