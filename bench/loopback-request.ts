import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface LoopbackResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LoopbackRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const TIMEOUT_MS = 30_000;

/** One HTTP(S) request to this machine; the gate's certificate is self-signed, so it is not checked. */
export function loopbackRequest(url: string, options: LoopbackRequest = {}): Promise<LoopbackResponse> {
  if (new URL(url).hostname !== '127.0.0.1') return Promise.reject(new Error(`not a loopback URL: ${url}`));
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: options.method ?? 'GET', headers: options.headers, rejectUnauthorized: false, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`${url}: no answer within ${TIMEOUT_MS / 1000} s`)));
    req.once('error', reject);
    req.end(options.body);
  });
}
