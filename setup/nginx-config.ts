import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuthCache, authCacheHttpDirectives, authCacheVerifyDirectives } from './nginx-auth-cache';
import { HOST_LABEL_PATTERN } from '../auth-server/src/origins/allowed-origins';
import { REPO_ROOT } from './repo-root';
import { UNSTRIPPABLE_TOKEN_KEY } from '../auth-server/src/tokens/query-token-key';

export const NGINX_TEMPLATE = join(REPO_ROOT, 'nginx', 'pacsgate.conf.template');

export interface NginxSettings {
  /** pid file and temp folders; Nginx's `-p` prefix. */
  runtimeDir: string;
  httpPort: number;
  httpsPort: number;
  /** Where users reach the gate; redirects and sign-in links point here. */
  publicUrl: string;
  tlsCert: string;
  tlsKey: string;
  /** Static files Nginx serves itself (the OHIF viewer at /viewer/). */
  webRoot: string;
  /** host:port of each auth server and of each Orthanc's HTTP port (PACSGATE_AUTH_SERVERS, PACSGATE_ORTHANC_SERVERS). */
  authServers: string[];
  orthancServers: string[];
  /** The Basic credential Orthanc requires, which Nginx alone sends. */
  orthancAuthorization: string;
  /** As the settings parsed them (auth-server/src/config-fields.ts): already lower case, without default ports. */
  allowedOrigins: string[];
  /** Access log file, or null for none. Not /dev/stdout: Node's pipes are sockets, which Nginx cannot open. */
  accessLog: string | null;
  /** Worker user when the master runs as root; null keeps the current user. */
  workerUser: string | null;
  /** Nginx keeps /verify's 204s this long (PACSGATE_AUTH_CACHE_SECONDS); null: every request asks. */
  authCache: AuthCache | null;
  /** The DICOM TLS door's stream block (setup/dicom/render.ts), included as it is; null: no DICOM door. */
  dicomStreamConfig: string | null;
}

/** Debian's libnginx-mod-stream; the nginx image keeps its modules at the same path. */
export const NGINX_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

function dicomStreamLines(path: string | null): string {
  if (!path) return '';
  return `load_module ${NGINX_STREAM_MODULE};\ninclude ${checked('dicomStreamConfig', path)};`;
}

/** `https://*.example.org` → an Nginx map line where `*` is one host label, as the auth server reads it. */
export function corsOriginPattern(origin: string): string {
  const pattern = origin
    .split('*')
    .map((part) => part.replace(/[.]/g, '\\.'))
    .join(HOST_LABEL_PATTERN);
  return `    "~*^${pattern}$" $http_origin;`;
}

// A value with one of these could end a directive or open a block: refuse it rather than escape it.
const UNSAFE = /[\s;{}"'\\]/;

function checked(name: string, value: string): string {
  if (UNSAFE.test(value)) throw new Error(`nginx setting ${name} must not contain spaces, quotes, ';', '{', '}' or '\\': ${value}`);
  return value;
}

/**
 * An upstream's `server` lines. After one failed connection or timeout a server is skipped for
 * 2 s, then tried again: a dead one costs the next request a refused connection every 2 s (which
 * Nginx then passes on where it may), and a restarted one serves again within 2 s.
 */
function serverLines(name: string, servers: string[]): string {
  if (servers.length === 0) throw new Error(`nginx setting ${name} must name at least one server`);
  return servers.map((server) => `    server ${checked(name, server)} max_fails=1 fail_timeout=2s;`).join('\n');
}

function basicOnly(authorization: string): string {
  if (!/^Basic [A-Za-z0-9+/]+=*$/.test(authorization)) throw new Error('nginx setting orthancAuthorization must be a Basic credential');
  return authorization;
}

export function renderNginxConfig(settings: NginxSettings, template = readFileSync(NGINX_TEMPLATE, 'utf8')): string {
  const authCache = settings.authCache && { ...settings.authCache, dir: checked('authCache.dir', settings.authCache.dir) };
  const values: Record<string, string> = {
    WORKER_USER_LINE: settings.workerUser ? `user ${checked('workerUser', settings.workerUser)};` : '',
    RUNTIME_DIR: checked('runtimeDir', settings.runtimeDir),
    ACCESS_LOG: settings.accessLog ? `${checked('accessLog', settings.accessLog)} pacsgate` : 'off',
    HTTP_PORT: String(settings.httpPort),
    HTTPS_PORT: String(settings.httpsPort),
    PUBLIC_URL: checked('publicUrl', settings.publicUrl.replace(/\/+$/, '')),
    TLS_CERT: checked('tlsCert', settings.tlsCert),
    TLS_KEY: checked('tlsKey', settings.tlsKey),
    WEB_ROOT: checked('webRoot', settings.webRoot),
    AUTH_SERVERS: serverLines('authServers', settings.authServers),
    ORTHANC_SERVERS: serverLines('orthancServers', settings.orthancServers),
    ORTHANC_AUTHORIZATION: basicOnly(settings.orthancAuthorization),
    CORS_ORIGIN_PATTERNS: settings.allowedOrigins.map((origin) => corsOriginPattern(checked('allowedOrigins', origin))).join('\n'),
    UNSTRIPPABLE_TOKEN_KEY,
    AUTH_CACHE_HTTP: authCacheHttpDirectives(authCache),
    AUTH_CACHE_VERIFY: authCacheVerifyDirectives(authCache),
    DICOM_STREAM: dicomStreamLines(settings.dicomStreamConfig),
  };
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${NGINX_TEMPLATE}: unknown placeholder {{${name}}}`);
    return value;
  });
}

export { basicAuthorization } from '../auth-server/src/orthanc/credential';
