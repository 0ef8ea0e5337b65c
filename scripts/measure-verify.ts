/**
 * Usage: npm run build && npm run measure:verify [-- --calls 20000 --runs 7 --loopback 2000]
 *
 * Times the `/verify` decision in-process on an app built as main.ts builds it (temp config dir,
 * SQLite, generated key, audit log file) and prints microseconds per call, the median of the runs:
 *   verifier      RequestVerifier.verify with one access token in Authorization (the viewer case:
 *                 the same token on every image request)
 *   first sight   TokenCodec.decode of that token: the RS256 check a token's first request pays
 *   handle        the whole request listener (`app.handle`) with a fake req/res, headers included
 *   loopback      one real HTTP request over a keep-alive loopback connection, client time included
 */
import bcrypt from 'bcrypt';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openAuditLog } from '../auth-server/src/audit/audit-log';
import { epochSeconds, systemClock } from '../auth-server/src/clock';
import { loadConfig } from '../auth-server/src/config';
import { configLayout } from '../auth-server/src/config-files';
import { createApp } from '../auth-server/src/http/app';
import { openKeyring } from '../auth-server/src/keys/rotation';
import { createLogger } from '../auth-server/src/logger';
import { AllowedOrigins } from '../auth-server/src/origins/allowed-origins';
import { openSqliteStore } from '../auth-server/src/store/sqlite-store';
import { exchangeAuthToken } from '../auth-server/src/tokens/exchange';
import { issueAuthToken } from '../auth-server/src/tokens/issue';
import { ScopedRequests } from '../auth-server/src/verify/scoped-requests';
import { RequestVerifier, type VerifyInput } from '../auth-server/src/verify/verify-request';

const { values: options } = parseArgs({
  options: { calls: { type: 'string', default: '20000' }, runs: { type: 'string', default: '7' }, loopback: { type: 'string', default: '2000' } },
});
const CALLS = Number(options.calls);
const RUNS = Number(options.runs);
const LOOPBACK_CALLS = Number(options.loopback);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median over `RUNS` of the µs per call of one run (`run` makes `calls` calls); one run first as warm-up. */
async function microsPerCall(calls: number, run: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index <= RUNS; index++) {
    const start = process.hrtime.bigint();
    await run();
    if (index > 0) samples.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
  return median(samples);
}

/** `calls` synchronous calls in a plain loop: no await between them to blur the figure. */
const repeat = (calls: number, call: () => unknown) => () => {
  for (let i = 0; i < calls; i++) call();
};

async function buildApp(dir: string) {
  const config = loadConfig({
    PACSGATE_CONFIG_DIR: dir,
    PACSGATE_PUBLIC_URL: 'https://pacs.example.org',
    PACSGATE_ALLOWED_ORIGINS: 'https://viewer.example.org',
    PACSGATE_ADMIN_PASSWORD_HASH: bcrypt.hashSync('measure', 4),
  });
  const audit = openAuditLog(config.audit.destination, { sync: false });
  const { keyring } = openKeyring(config.configDir, config.ttl, epochSeconds(systemClock));
  const store = openSqliteStore(configLayout(config.configDir).database);
  const app = createApp({ config, store, keyring, audit, logger: createLogger('silent') });
  await app.ready;
  const user = await store.users.upsert({ username: 'measure', name: 'Measure', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null }, epochSeconds(systemClock));
  const { accessToken } = await exchangeAuthToken(app.services, await issueAuthToken(app.services, user, epochSeconds(systemClock)), undefined);
  return { app, config, accessToken, close: () => (audit.flush(), store.close()) };
}

/** A ServerResponse that only remembers its status: enough for the verify handler. */
function fakeResponse(): ServerResponse {
  const res = { statusCode: 0, setHeader: () => undefined, end: () => undefined, writeHead: (status: number) => void (res.statusCode = status) };
  return res as unknown as ServerResponse;
}

function loopbackVerify(port: number, agent: Agent, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/verify', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-measure-'));
  const { app, config, accessToken, close } = await buildApp(dir);
  try {
    const headers = { authorization: `Bearer ${accessToken}`, 'x-original-uri': '/dicom-web/studies/1.2.3/series', 'x-original-method': 'GET' };
    const input: VerifyInput = { authorization: headers.authorization, originalUri: headers['x-original-uri'], originalMethod: 'GET' };
    const verifier = new RequestVerifier(app.services, new AllowedOrigins(config.allowedOrigins), new ScopedRequests(app.orthanc));
    const req = { method: 'GET', url: '/verify', headers } as unknown as IncomingMessage;
    const res = fakeResponse();
    app.handle(req, res);
    const first = verifier.verify(input);
    if (first instanceof Promise || first.status !== 204 || res.statusCode !== 204) throw new Error('the measured token is not accepted');

    const now = epochSeconds(systemClock);
    const results: Array<[string, number]> = [
      ['verifier', await microsPerCall(CALLS, repeat(CALLS, () => verifier.verify(input)))],
      ['first sight', await microsPerCall(CALLS / 10, repeat(CALLS / 10, () => app.services.codec.decode(accessToken, 'access', now)))],
      ['handle', await microsPerCall(CALLS, repeat(CALLS, () => app.handle(req, res)))],
    ];
    const server = createServer(app.handle).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { port } = server.address() as AddressInfo;
    results.push(['loopback', await microsPerCall(LOOPBACK_CALLS, async () => {
      for (let i = 0; i < LOOPBACK_CALLS; i++) await loopbackVerify(port, agent, headers);
    })]);
    agent.destroy();
    server.close();

    process.stdout.write(`/verify, µs per call (median of ${RUNS} runs; ${CALLS} calls a run, ${LOOPBACK_CALLS} over loopback):\n`);
    for (const [name, micros] of results) process.stdout.write(`  ${name.padEnd(12)} ${micros.toFixed(2).padStart(8)} µs\n`);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measure-verify: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
