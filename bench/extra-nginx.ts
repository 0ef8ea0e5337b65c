import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NginxSettings, renderNginxConfig } from '../setup/nginx-config';
import { LogSink, StackChild } from '../scripts/stack/child';
import { waitUntilHealthy } from '../scripts/stack/probe';
import { NGINX_BINARY } from '../scripts/stack/start-stack';

const HEALTHY_WITHIN_MS = 20_000;
const AUTH_REQUEST_LINE = /^[ \t]*auth_request \/_verify;[ \t]*\n/gm;

/**
 * The baseline: the gate's own rendered config minus its `auth_request` lines (the PACS's reads and
 * writes, the viewer's page), so the two differ in nothing else (TLS, headers, proxy settings, upstream
 * keepalive, the same viewer files). The `auth_request_set` variables stay defined and are empty.
 */
export function withoutAuthRequest(config: string): string {
  const found = config.match(AUTH_REQUEST_LINE)?.length ?? 0;
  if (found !== 3) throw new Error(`expected three "auth_request /_verify;" lines in the Nginx config (PACS reads, PACS writes, viewer page), found ${found}: the template changed`);
  return config.replace(AUTH_REQUEST_LINE, '');
}

export interface ExtraNginx {
  child: StackChild;
  url: string;
}

/** One more Nginx beside the stack's: the same binary and template, its own ports and runtime dir. */
export async function startExtraNginx(name: string, settings: NginxSettings, transform: (config: string) => string, onLog: LogSink): Promise<ExtraNginx> {
  mkdirSync(settings.runtimeDir, { recursive: true, mode: 0o700 });
  const configPath = join(settings.runtimeDir, 'nginx.conf');
  writeFileSync(configPath, transform(renderNginxConfig(settings)), { mode: 0o600 });
  const child = StackChild.start(name, NGINX_BINARY, ['-p', settings.runtimeDir, '-c', configPath, '-e', 'stderr'], process.env, onLog);
  const url = `https://127.0.0.1:${settings.httpsPort}`;
  try {
    await waitUntilHealthy(child, `${url}/auth/healthz`, HEALTHY_WITHIN_MS);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { child, url };
}
