import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { PacsgateApp } from '../../auth-server/src/http/app';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** `POST path` with a JSON body. */
export const postJson = (path: string, body: unknown, method = 'POST'): HttpCall => ({ method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** `POST path` presenting `token` as `Authorization: Bearer`, as the exchange endpoints want it. */
export const postBearer = (path: string, token: string): HttpCall => ({ method: 'POST', path, headers: { authorization: `Bearer ${token}` } });

export interface ListeningServer {
  server: Server;
  port: number;
  /** One request over a keep-alive connection pool. */
  send(call: HttpCall): Promise<Reply>;
  /** Bytes written as they are to a fresh socket: for requests no HTTP client would send. */
  sendRaw(bytes: string | Buffer): Promise<Reply>;
  close(): Promise<void>;
}

/** The app on a loopback port, served the way main.ts serves it (16 KB of headers at most). */
export async function listen(app: Pick<PacsgateApp, 'handle'>): Promise<ListeningServer> {
  const server = createServer({ maxHeaderSize: 16 * 1024 }, app.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return {
    server,
    port,
    send: (call) => sendHttp(port, call, agent),
    sendRaw: (bytes) => sendRawHttp(port, bytes),
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request; a reply that does not come within `timeoutMs` is an error, not a hung test. */
export function sendHttp(port: number, call: HttpCall, agent?: Agent, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: call.method ?? 'GET', path: call.path, headers: call.headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no reply to ${call.method ?? 'GET'} ${call.path.slice(0, 80)} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Parses the first response on a raw socket; the request should ask for `Connection: close`. */
export function sendRawHttp(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('raw request timed out')), timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseRawResponse(Buffer.concat(chunks).toString('latin1')));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function parseRawResponse(text: string): Reply {
  const headEnd = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || headEnd < 0) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(headEnd + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.slice(0, Number(headers['content-length']));
  return { status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
