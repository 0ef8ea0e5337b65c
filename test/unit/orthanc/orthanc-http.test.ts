import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrthancHttp, OrthancUnavailable } from '../../../auth-server/src/orthanc/orthanc-http';
import { findFreePort } from '../../../scripts/stack/ports';

// A real HTTP server stands in for Orthanc's failure modes: not there, hanging, failing.
let server: Server;
let url: string;
const hung: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return void hung.push(() => res.end());
    if (req.url === '/missing') return void res.writeHead(404).end('{}');
    if (req.url === '/broken') return void res.writeHead(500).end('oops');
    if (req.url === '/not-json') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const release of hung) release();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('sends the configured credential and returns the JSON', async () => {
  expect(await new OrthancHttp({ url, authorization: 'Basic abc' }).get('/')).toEqual({ authorization: 'Basic abc' });
});

it('answers null for a 404', async () => {
  expect(await new OrthancHttp({ url }).get('/missing')).toBeNull();
});

it('gives up on a hung Orthanc after its timeout', async () => {
  await expect(new OrthancHttp({ url, timeoutMs: 200 }).get('/hang')).rejects.toEqual(new OrthancUnavailable('timeout'));
});

it('names an Orthanc that is not listening unreachable', async () => {
  const closedPort = await findFreePort();
  await expect(new OrthancHttp({ url: `http://127.0.0.1:${closedPort}` }).get('/')).rejects.toEqual(new OrthancUnavailable('unreachable'));
});

it.each(['/broken', '/not-json'])('takes %s for a failed Orthanc', async (path) => {
  await expect(new OrthancHttp({ url }).get(path)).rejects.toEqual(new OrthancUnavailable('failed'));
});
