import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ConfigLayout } from '../auth-server/src/config-files';
import { replacePrivateFile } from './private-files';

function subjectAltNames(hostnames: string[]): string {
  const unique = [...new Set(['localhost', '127.0.0.1', '::1', ...hostnames])];
  return unique.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
}

/** The host name (or bare IP address) of a URL, the name certificates are made for. */
export function hostnameOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** A self-signed certificate (EC P-256, 825 days) for `hostname`, replacing any in the config dir. */
export function createSelfSignedCertificate(layout: ConfigLayout, hostname: string): void {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  replacePrivateFile(layout.tlsKey, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const certificate = execFileSync('openssl', [
    'req', '-x509', '-new', '-key', layout.tlsKey, '-days', '825',
    '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=${subjectAltNames([hostname])}`,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  replacePrivateFile(layout.tlsCert, certificate);
}

/**
 * Points the config dir at an operator's certificate (e.g. Let's Encrypt's live/ files)
 * with symlinks, so renewals in place reach Nginx without re-running setup.
 */
export function linkCertificate(layout: ConfigLayout, certPath: string, keyPath: string): void {
  const certificate = new X509Certificate(readFileSync(certPath));
  if (!certificate.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))) {
    throw new Error(`${keyPath} is not the private key of ${certPath}`);
  }
  mkdirSync(dirname(layout.tlsCert), { recursive: true, mode: 0o700 });
  for (const [link, target] of [[layout.tlsCert, certPath], [layout.tlsKey, keyPath]]) {
    rmSync(link, { force: true });
    symlinkSync(resolve(target), link);
  }
}
