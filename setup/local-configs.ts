import { chmodSync, mkdirSync } from 'node:fs';
import { readOrCreateSecret } from '../auth-server/src/secrets/secret-file';
import { ensureDicomCertificates } from './dicom/certificates';
import { readRegistry, writeDicomConfigs } from './dicom/registry-files';
import { GateSettings } from './gate-settings';
import { ConfigLayout } from '../auth-server/src/config-files';
import { ORTHANC_USER } from '../auth-server/src/orthanc/credential';
import { basicAuthorization, type NginxSettings, renderNginxConfig } from './nginx-config';
import { DEBIAN_ORTHANC_PLUGINS, renderOrthancConfig } from './orthanc-config';
import { replacePrivateFile } from './private-files';
import { hostnameOf } from './tls';
import { prepareViewer } from './viewer/prepare-viewer';

export interface LocalConfigOptions {
  accessLog: boolean;
  /** Where Nginx's workers keep the auth cache (the stack makes one); without it the cache stays off. */
  authCacheDir?: string;
}

/** Nginx's settings on this machine; the benchmark renders more instances from them. */
export function localNginxSettings(layout: ConfigLayout, settings: GateSettings, options: LocalConfigOptions): NginxSettings {
  return {
    runtimeDir: layout.nginxRuntime,
    httpPort: settings.httpPort,
    httpsPort: settings.httpsPort,
    publicUrl: settings.publicUrl,
    tlsCert: layout.tlsCert,
    tlsKey: layout.tlsKey,
    webRoot: layout.webRoot,
    authServers: settings.authServers,
    orthancServers: settings.orthancServers,
    orthancAuthorization: basicAuthorization(ORTHANC_USER, readOrCreateSecret(layout.orthancNginxPassword)),
    allowedOrigins: settings.allowedOrigins,
    accessLog: options.accessLog ? layout.nginxAccessLog : null,
    workerUser: process.getuid?.() === 0 ? 'www-data' : null,
    authCache: settings.authCacheSeconds && options.authCacheDir ? { seconds: settings.authCacheSeconds, dir: options.authCacheDir } : null,
    dicomStreamConfig: layout.nginxDicomConfig,
  };
}

/**
 * Orthanc's and Nginx's config files for this machine, filled for the ports in `settings`.
 * Both hold the Orthanc credential, hence 0600; the credential itself is created once.
 * The stack rewrites them on every start, so a port change needs no new setup.
 */
export function writeLocalConfigs(layout: ConfigLayout, settings: GateSettings, options: LocalConfigOptions): void {
  const nginxPassword = readOrCreateSecret(layout.orthancNginxPassword);
  mkdirSync(layout.orthancStorage, { recursive: true, mode: 0o700 });
  mkdirSync(layout.orthancConfigDir, { recursive: true, mode: 0o700 });
  // Nginx's workers never write here: the template keeps bodies and responses in memory.
  mkdirSync(layout.nginxRuntime, { recursive: true, mode: 0o700 });
  replacePrivateFile(layout.orthancConfig, renderOrthancConfig({
    storageDir: layout.orthancStorage,
    httpPort: settings.orthancHttpPort,
    dicomPort: settings.dicomPort,
    nginxPassword,
    pluginsDir: DEBIAN_ORTHANC_PLUGINS,
    remoteAccessAllowed: false,
  }));
  ensureDicomCertificates(layout, hostnameOf(settings.publicUrl));
  writeDicomConfigs(layout, settings, readRegistry(layout));
  replacePrivateFile(layout.nginxConfig, renderNginxConfig(localNginxSettings(layout, settings, options)));
  prepareWebRoot(layout);
}

/**
 * The viewer's files for Nginx. Its workers (www-data when the master runs as root) must reach
 * them through the config dir, so that one becomes 0711: enterable, not listable; everything else
 * in it stays 0600/0700, and the web root holds no secret.
 */
export function prepareWebRoot(layout: ConfigLayout): void {
  chmodSync(layout.configDir, 0o711);
  mkdirSync(layout.webRoot, { recursive: true });
  chmodSync(layout.webRoot, 0o755);
  prepareViewer(layout.viewerDir);
}
