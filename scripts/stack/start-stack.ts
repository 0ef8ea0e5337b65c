import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateSettings } from '../../setup/gate-settings';
import { configLayout } from '../../auth-server/src/config-files';
import { ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { writeLocalConfigs } from '../../setup/local-configs';
import { basicAuthorization } from '../../setup/nginx-config';
import { REPO_ROOT } from '../../setup/repo-root';
import { loadConfig } from '../../auth-server/src/config';
import { readRegistry } from '../../setup/dicom/registry-files';
import { hostnameOf } from '../../setup/tls';
import { createAuthCacheDir } from './auth-cache-dir';
import { startDicomAudit } from './dicom-audit';
import { LogSink, StackChild } from './child';
import { assertPortsFree, NamedPort } from './ports';
import { waitUntilHealthy } from './probe';
import { followFile } from './tail-file';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const NGINX_BINARY = '/usr/sbin/nginx';
export const AUTH_SERVER_ENTRY = join(REPO_ROOT, 'dist', 'auth-server', 'src', 'main.js');
/**
 * Node's options for the auth server, as in `npm start` and the Dockerfile: a 4 MB young generation
 * instead of 16 keeps RSS ~40 MB lower under load at the same throughput (bench/README.md).
 */
export const AUTH_SERVER_NODE_ARGS = ['--max-semi-space-size=4'];
const HEALTHY_WITHIN_MS = 20000;

export interface StackOptions {
  settings: GateSettings;
  /** Nginx's access log on its output (off for benchmarks). */
  accessLog: boolean;
  onLog: LogSink;
  /** The auth server's environment before the stack sets its own variables (TTLs, log level, ...). */
  baseEnv: NodeJS.ProcessEnv;
  /** Node's own options for the auth server, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  authServerNodeArgs?: string[];
  /** The auth server's main.js; tests pass a build of the sources as they are now. Default: dist/. */
  authServerEntry?: string;
}

export interface StackUrls {
  publicUrl: string;
  token: string;
  explorer: string;
  viewer: string;
  dicomWeb: string;
  /** host:port of the DICOM TLS door; null while no modality is registered (the port is closed). */
  dicomTls: string | null;
}

export interface RunningStack {
  urls: StackUrls;
  orthanc: StackChild;
  authServer: StackChild;
  nginx: StackChild;
  /** Settles when any of the three exits on its own. */
  firstExit: Promise<StackChild>;
  /** Stops Nginx first (no new requests), then the auth server, then Orthanc. */
  stop(): Promise<void>;
}

const hasModalities = (settings: GateSettings) => readRegistry(configLayout(settings.configDir)).modalities.length > 0;

export function stackUrls(settings: GateSettings): StackUrls {
  const { publicUrl } = settings;
  return {
    publicUrl,
    token: `${publicUrl}/auth/token`,
    explorer: `${publicUrl}/app/explorer.html`,
    viewer: `${publicUrl}/viewer/`,
    dicomWeb: `${publicUrl}/dicom-web/`,
    dicomTls: hasModalities(settings) ? `${hostnameOf(publicUrl)}:${settings.dicomTlsPort}` : null,
  };
}

export function stackPorts(settings: GateSettings): NamedPort[] {
  return [
    { name: 'PACSGATE_HTTPS_PORT', port: settings.httpsPort },
    { name: 'PACSGATE_HTTP_PORT', port: settings.httpPort },
    { name: 'PACSGATE_ORTHANC_HTTP_PORT', port: settings.orthancHttpPort },
    { name: 'PACSGATE_DICOM_PORT', port: settings.dicomPort },
    { name: 'PACSGATE_PORT', port: settings.authPort },
    ...(hasModalities(settings) ? [{ name: 'PACSGATE_DICOM_TLS_PORT', port: settings.dicomTlsPort }] : []),
  ];
}

/** The auth server's environment in the stack; the benchmark starts more auth servers on it. */
export function authServerEnv(options: Pick<StackOptions, 'settings' | 'baseEnv'>): NodeJS.ProcessEnv {
  const { settings } = options;
  return {
    ...options.baseEnv,
    PACSGATE_HOST: '127.0.0.1',
    PACSGATE_PORT: String(settings.authPort),
    PACSGATE_CONFIG_DIR: settings.configDir,
    PACSGATE_PUBLIC_URL: settings.publicUrl,
    PACSGATE_ALLOWED_ORIGINS: settings.allowedOrigins.join(','),
    // It caps the max-age of its 204s by this, so Nginx never keeps an answer longer.
    PACSGATE_AUTH_CACHE_SECONDS: String(settings.authCacheSeconds),
    PACSGATE_ORTHANC_URL: `http://127.0.0.1:${settings.orthancHttpPort}`,
  };
}

/** Starts Orthanc, the auth server and Nginx as child processes on a set-up config dir. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { settings, onLog } = options;
  await assertPortsFree(stackPorts(settings));
  const layout = configLayout(settings.configDir);
  const authCache = settings.authCacheSeconds ? createAuthCacheDir() : undefined;
  writeLocalConfigs(layout, settings, { accessLog: options.accessLog, authCacheDir: authCache?.dir });
  const started: StackChild[] = [];
  const stopFollowing = options.accessLog ? followFile(layout.nginxAccessLog, (line) => onLog('access', line)) : () => undefined;
  const dicomAudit = startDicomAudit(layout, loadConfig(authServerEnv(options)).audit.destination);
  const stop = async () => {
    for (const child of [...started].reverse()) await child.stop();
    stopFollowing();
    dicomAudit.stop();
    authCache?.remove();
  };
  const start = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, sink: LogSink = onLog) => {
    const child = StackChild.start(name, command, args, env, sink);
    started.push(child);
    return child;
  };
  try {
    // --verbose-dicom: the "Association Acknowledged" lines the DICOM audit reads.
    const orthanc = start('orthanc', ORTHANC_BINARY, ['--verbose-dicom', layout.orthancConfigDir], process.env, (source, line) => {
      if (dicomAudit.orthancLine(line)) onLog(source, line);
    });
    const orthancPassword = readFileSync(layout.orthancNginxPassword, 'utf8').trim();
    await waitUntilHealthy(orthanc, `http://127.0.0.1:${settings.orthancHttpPort}/system`, HEALTHY_WITHIN_MS, {
      Authorization: basicAuthorization(ORTHANC_USER, orthancPassword),
    });
    const authServer = start('auth', process.execPath, [...AUTH_SERVER_NODE_ARGS, ...(options.authServerNodeArgs ?? []), options.authServerEntry ?? AUTH_SERVER_ENTRY], authServerEnv(options));
    await waitUntilHealthy(authServer, `http://127.0.0.1:${settings.authPort}/healthz`, HEALTHY_WITHIN_MS);
    const nginx = start('nginx', NGINX_BINARY, ['-p', layout.nginxRuntime, '-c', layout.nginxConfig, '-e', 'stderr'], process.env);
    await waitUntilHealthy(nginx, `https://127.0.0.1:${settings.httpsPort}/auth/healthz`, HEALTHY_WITHIN_MS);
    const firstExit = Promise.race(started.map((child) => child.exited.then(() => child)));
    return { urls: stackUrls(settings), orthanc, authServer, nginx, firstExit, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
