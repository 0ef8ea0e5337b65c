import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

/**
 * A network namespace joined to this host by a veth pair, made for one test and removed after.
 * Addresses come from 198.18.0.0/15 (RFC 2544, set aside for network tests), so nothing real
 * is ever addressed; the namespace has no other link and no route beyond the pair.
 */
export interface TestNamespace {
  /** This host's address as seen from inside the namespace. */
  hostAddress: string;
  /** Runs a Node script inside the namespace; resolves with its stdout. */
  runNode(script: string, args: string[]): Promise<string>;
  /** Runs a program inside the namespace; resolves with its exit code and everything it printed. */
  run(command: string, args: string[]): Promise<{ code: number; output: string }>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export async function withTestNamespace<T>(use: (namespace: TestNamespace) => Promise<T>): Promise<T> {
  const id = randomBytes(3).toString('hex');
  const name = `pacsgate-${id}`;
  const hostLink = `pgh${id}`;
  const nsLink = `pgn${id}`;
  const subnet = `198.${18 + randomInt(2)}.${randomInt(256)}`;
  const hostAddress = `${subnet}.1`;
  let namespaceAdded = false;
  let pairAdded = false;
  try {
    ip('netns', 'add', name);
    namespaceAdded = true;
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    pairAdded = true;
    ip('link', 'set', nsLink, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('-n', name, 'addr', 'add', `${subnet}.2/30`, 'dev', nsLink);
    ip('-n', name, 'link', 'set', nsLink, 'up');
    const runNode = (script: string, args: string[]) =>
      new Promise<string>((resolve, reject) => {
        execFile('ip', ['netns', 'exec', name, process.execPath, '-e', script, ...args], { timeout: 15000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout));
      });
    const run = (command: string, args: string[]) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        execFile('ip', ['netns', 'exec', name, command, ...args], { timeout: 15000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }));
      });
    return await use({ hostAddress, runNode, run });
  } finally {
    // Deleting one end of a veth pair deletes both.
    if (pairAdded) ip('link', 'del', hostLink);
    if (namespaceAdded) ip('netns', 'del', name);
  }
}

/** A script for `runNode`: one GET with a short timeout; prints {status, body} or {error} as JSON. */
export const FETCH_ONCE_SCRIPT = `
const [url, authorization] = process.argv.slice(1);
const client = url.startsWith('https:') ? require('https') : require('http');
const headers = authorization ? { authorization } : {};
const req = client.get(url, { headers, timeout: 3000, rejectUnauthorized: false }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => { if (body.length < 4096) body += chunk; });
  res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body })));
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (error) => console.log(JSON.stringify({ error: error.message })));
`;
