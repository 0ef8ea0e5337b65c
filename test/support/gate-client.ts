import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface GateResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface GateRequest {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A streamed body of known length (big uploads). */
  stream?: { source: Readable; length: number };
  /** Send the path byte for byte: a URL object would resolve `..` and `%2e%2e` before they are sent. */
  rawPath?: boolean;
}

/** HTTPS to the gate, trusting only the stack's own certificate. */
export class GateClient {
  private readonly agent: Agent;

  constructor(readonly baseUrl: string, ca: Buffer) {
    this.agent = new Agent({ ca, keepAlive: false });
  }

  send(method: string, path: string, options: GateRequest = {}): Promise<GateResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    if (options.stream) headers['Content-Length'] = String(options.stream.length);
    return new Promise((resolve, reject) => {
      const url = new URL(options.rawPath ? '/' : path, this.baseUrl);
      const req = request(url, { method, headers, agent: this.agent, ...(options.rawPath && { path }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (options.stream) options.stream.source.pipe(req);
      else req.end(options.body);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<GateResponse> {
    return this.send('GET', path, { headers });
  }

  postJson(path: string, json: unknown, headers: Record<string, string> = {}): Promise<GateResponse> {
    return this.send('POST', path, { headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(json) });
  }

  close(): void {
    this.agent.destroy();
  }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
