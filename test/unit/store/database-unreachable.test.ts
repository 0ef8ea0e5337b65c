import { createServer } from 'node:net';
import pg from 'pg';
import { findFreePort } from '../../../scripts/stack/ports';
import { isDatabaseUnreachable } from '../../../auth-server/src/store/database-unreachable';

const failureOf = (work: Promise<unknown>) => work.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);

it('recognises a refused connection, as the pg driver reports it', async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: await findFreePort(), connectionTimeoutMillis: 2000 });
  expect(isDatabaseUnreachable(await failureOf(client.connect()))).toBe(true);
});

it('recognises a server that closes the connection before answering, as the pg driver reports it', async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const client = new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 2000 });
    expect(isDatabaseUnreachable(await failureOf(client.connect()))).toBe(true);
  } finally {
    server.close();
  }
});

it('recognises PostgreSQL’s connection and shutdown states, and nothing else', () => {
  const withCode = (code: string) => Object.assign(new Error('from the server'), { code });
  for (const code of ['08006', '08001', '57P01', '57P03']) expect(isDatabaseUnreachable(withCode(code))).toBe(true);
  // A unique violation, a serialisation failure, SQLite busy, a bug: the request's or the code's, not an outage.
  for (const code of ['23505', '40001', 'SQLITE_BUSY', '57014']) expect(isDatabaseUnreachable(withCode(code))).toBe(false);
  expect(isDatabaseUnreachable(new TypeError('Cannot read properties of undefined'))).toBe(false);
  expect(isDatabaseUnreachable('ECONNREFUSED')).toBe(false);
});
