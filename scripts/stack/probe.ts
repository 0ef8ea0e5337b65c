import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { StackChild } from './child';

/** The status `url` answers with, or null when nothing answers. */
export function probeStatus(url: string, headers: Record<string, string> = {}): Promise<number | null> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    // A liveness probe on loopback: it checks that Nginx answers, not who it claims to be.
    const req = request(url, { headers, rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(null));
    req.end();
  });
}

const POLL_MS = 100;

/** Polls until `url` answers 200; fails early, with the child's last output, if the child exits. */
export async function waitUntilHealthy(child: StackChild, url: string, timeoutMs: number, headers?: Record<string, string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.isRunning) throw new Error(`${child.name} exited while starting:\n${child.recentOutput}`);
    if ((await probeStatus(url, headers)) === 200) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not become healthy at ${url} within ${timeoutMs / 1000} s:\n${child.recentOutput}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
