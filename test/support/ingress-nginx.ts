import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { KubeObject } from './kubernetes';

/**
 * The Nginx configuration ingress-nginx renders for our Ingresses' annotations, written out by hand
 * from its rootfs/etc/nginx/template/nginx.tmpl (controller v1.x): the external-auth subrequest
 * location, the auth_request lines of the protected location, the sign-in redirect, the deny list,
 * the rewrite. Any other annotation is refused, so a new one must be looked up there and added here.
 * Left out: the rate limit (not under test) and set-misc's URI escaping in the sign-in redirect
 * (Debian's Nginx lacks the module: the raw $request_uri stands in).
 */
const PREFIX = 'nginx.ingress.kubernetes.io/';
const KNOWN = new Set(['auth-url', 'auth-method', 'auth-response-headers', 'auth-signin', 'auth-signin-redirect-param', 'use-regex', 'rewrite-target',
  'x-forwarded-prefix', 'denylist-source-range', 'proxy-body-size', 'proxy-request-buffering', 'proxy-read-timeout', 'proxy-send-timeout', 'limit-rps',
  'limit-burst-multiplier']);

export interface IngressNginxOptions {
  /** The config's own folder (temp files, pid). */
  dir: string;
  port: number;
  /** Where each Service name leads on this machine (its cluster DNS name is replaced too). */
  services: Record<string, string>;
}

interface Location {
  path: string;
  backend: string;
  annotations: Record<string, string>;
}

function locationsOf(ingresses: (IIngress & KubeObject)[]): Location[] {
  return ingresses.flatMap((ingress) => {
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(ingress.metadata.annotations ?? {})) {
      const name = key.slice(PREFIX.length);
      if (!key.startsWith(PREFIX) || !KNOWN.has(name)) throw new Error(`ingress-nginx emulation: ${ingress.metadata.name} has ${key}, not emulated`);
      annotations[name] = value;
    }
    return (ingress.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => ({ path: path.path ?? '/', backend: path.backend.service!.name, annotations })));
  });
}

/** A cluster URL (`http://<service>.<namespace>.svc.cluster.local:<port>/path`) made local: the same path on the Service's stand-in. */
function localUrl(url: string, services: Record<string, string>): string {
  const parsed = new URL(url);
  const service = parsed.hostname.split('.')[0];
  if (!services[service]) throw new Error(`ingress-nginx emulation: no stand-in for ${parsed.hostname}`);
  return `${services[service]}${parsed.pathname}`;
}

function authLocation(name: string, location: Location, services: Record<string, string>): string {
  const { annotations } = location;
  const method = annotations['auth-method'];
  return `
    location = ${name} {
      internal;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Forwarded-Proto "";
      ${method ? `proxy_method ${method}; proxy_set_header X-Original-URI $request_uri; proxy_set_header X-Scheme $scheme;` : ''}
      proxy_set_header Host ${new URL(annotations['auth-url']).host};
      proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Sent-From "nginx-ingress-controller";
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Auth-Request-Redirect $request_uri;
      proxy_pass_request_headers on;
      proxy_http_version 1.1;
      proxy_pass ${localUrl(annotations['auth-url'], services)};
    }`;
}

function mainLocation(index: number, location: Location, services: Record<string, string>): string {
  const { annotations } = location;
  const lines: string[] = [];
  for (const range of (annotations['denylist-source-range'] ?? '').split(',').map((cidr) => cidr.trim()).filter(Boolean)) lines.push(`deny ${range};`);
  if (annotations['auth-url']) {
    lines.push(`auth_request /_external-auth-${index};`, 'auth_request_set $auth_cookie $upstream_http_set_cookie;', 'add_header Set-Cookie $auth_cookie;');
    (annotations['auth-response-headers'] ?? '').split(',').map((header) => header.trim()).filter(Boolean).forEach((header, i) => {
      lines.push(`auth_request_set $authHeader${i} $upstream_http_${header.toLowerCase().replace(/-/g, '_')};`, `proxy_set_header '${header}' $authHeader${i};`);
    });
    if (annotations['auth-signin']) lines.push('set $escaped_request_uri $request_uri;', `error_page 401 = @auth-signin-${index};`);
  }
  if (annotations['proxy-body-size']) lines.push(`client_max_body_size ${annotations['proxy-body-size']};`);
  if (annotations['proxy-request-buffering']) lines.push(`proxy_request_buffering ${annotations['proxy-request-buffering']};`);
  if (annotations['proxy-read-timeout']) lines.push(`proxy_read_timeout ${annotations['proxy-read-timeout']}s;`);
  if (annotations['proxy-send-timeout']) lines.push(`proxy_send_timeout ${annotations['proxy-send-timeout']}s;`);
  lines.push('proxy_set_header Host $http_host;', 'proxy_set_header X-Forwarded-For $remote_addr;', 'proxy_set_header X-Forwarded-Proto $scheme;', 'proxy_set_header X-Original-URI $request_uri;');
  if (annotations['x-forwarded-prefix']) lines.push(`proxy_set_header X-Forwarded-Prefix "${annotations['x-forwarded-prefix']}";`);
  if (annotations['rewrite-target']) lines.push(`rewrite "(?i)${location.path}" ${annotations['rewrite-target']} break;`);
  lines.push('proxy_http_version 1.1;', `proxy_pass ${services[location.backend]};`);
  const signIn = annotations['auth-signin']
    ? `
    location @auth-signin-${index} {
      internal;
      add_header Set-Cookie $auth_cookie;
      return 302 ${annotations['auth-signin']}?${annotations['auth-signin-redirect-param'] ?? 'rd'}=$scheme://$http_host$escaped_request_uri;
    }`
    : '';
  return `${signIn}
    location ~* "^${location.path}" {
      ${lines.join('\n      ')}
    }`;
}

/** The http block's server for `ingresses` (one host): every path a case-insensitive regex, longest first, as ingress-nginx orders them once one uses regex. */
export function renderIngressNginx(ingresses: (IIngress & KubeObject)[], options: IngressNginxOptions): string {
  const locations = locationsOf(ingresses);
  if (!locations.some((location) => location.annotations['use-regex'] === 'true' || location.annotations['rewrite-target'])) {
    throw new Error('ingress-nginx emulation: written for a host whose paths are regexes');
  }
  const ordered = [...locations].sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0)).sort((a, b) => b.path.length - a.path.length);
  const blocks = ordered.map((location, index) => `${location.annotations['auth-url'] ? authLocation(`/_external-auth-${index}`, location, options.services) : ''}${mainLocation(index, location, options.services)}`);
  return `daemon off;
pid ${options.dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${options.dir}/client_body;
  proxy_temp_path ${options.dir}/proxy;
  fastcgi_temp_path ${options.dir}/fastcgi;
  uwsgi_temp_path ${options.dir}/uwsgi;
  scgi_temp_path ${options.dir}/scgi;
  server {
    listen 127.0.0.1:${options.port};
    server_name _;
${blocks.join('\n')}
  }
}
`;
}
