import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../../support/postgres';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres.destroy());

it('runs a real PostgreSQL 15 (initdb refuses root: as root it runs as `postgres`) that creates databases and answers on its URL', async () => {
  const url = await postgres.createDatabase('launcher_check');
  expect(url).toContain(`127.0.0.1:${postgres.port}/launcher_check`);
  const [row] = await postgres.query<{ version: string; who: string }>("SELECT current_setting('server_version_num') AS version, current_user AS who", [], 'launcher_check');
  expect(row).toEqual({ version: expect.stringMatching(/^15/), who: 'pacsgate' });
});

it('listens below the ephemeral range, where no port handed out in the meantime can take its place', () => {
  const [ephemeralFrom] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  expect(postgres.port).toBeLessThan(ephemeralFrom);
});

it('keeps its data and port across a stop, a crash and two restarts', async () => {
  await postgres.query('CREATE TABLE kept (n int)', [], 'launcher_check');
  await postgres.query('INSERT INTO kept VALUES (1)', [], 'launcher_check');
  await postgres.stop();
  await expect(postgres.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  await postgres.start();
  await postgres.kill();
  await postgres.start();
  expect(await postgres.query('SELECT n FROM kept', [], 'launcher_check')).toEqual([{ n: 1 }]);
});

it('cuts the connections to one database from the server side', async () => {
  const client = new Client({ connectionString: postgres.urlOf('launcher_check') });
  // The server's message, then the socket's end: both arrive as errors.
  const lost = new Promise<Error>((resolve) => client.on('error', resolve));
  await client.connect();
  expect(await postgres.terminateConnections('launcher_check')).toBe(1);
  expect((await lost).message).toMatch(/terminat/);
  await client.end().catch(() => undefined);
});

it('refuses a wrong password (the URL password is really checked)', async () => {
  await expect(postgres.query('SELECT 1')).resolves.toHaveLength(1);
  const client = new Client({ connectionString: postgres.url.replace(postgres.password, 'wrong') });
  await expect(client.connect()).rejects.toThrow(/password authentication failed/);
});
