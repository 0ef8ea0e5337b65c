import { readOrCreateSecret } from '../auth-server/src/secrets/secret-file';
import { GateSettings } from './gate-settings';
import { ConfigLayout } from '../auth-server/src/config-files';
import { ORTHANC_USER } from '../auth-server/src/orthanc/credential';
import { basicAuthorization, renderNginxConfig } from './nginx-config';
import { renderOrthancConfig } from './orthanc-config';
import { replacePrivateFile } from './private-files';

/** Ports and paths inside the containers of docker-compose.yml; the host ports are mapped there. */
const CONTAINER = {
  httpPort: 80,
  httpsPort: 443,
  orthancHttpPort: 8042,
  dicomPort: 4242,
  authServer: 'auth-server:3000',
  orthancServer: 'orthanc:8042',
  tlsCert: '/run/secrets/tls_cert',
  tlsKey: '/run/secrets/tls_key',
  orthancStorage: '/var/lib/orthanc/db',
  webRoot: '/srv/pacsgate-web',
};

/**
 * The files docker-compose.yml mounts: Nginx's and Orthanc's configs for the containers and
 * the env file of the host-side settings. Orthanc allows "remote" clients there because Nginx
 * is another container; its port is published nowhere and it still requires the credential.
 */
export function writeDockerConfigs(layout: ConfigLayout, settings: GateSettings): void {
  const nginxPassword = readOrCreateSecret(layout.orthancNginxPassword);
  replacePrivateFile(layout.dockerOrthancConfig, renderOrthancConfig({
    storageDir: CONTAINER.orthancStorage,
    httpPort: CONTAINER.orthancHttpPort,
    dicomPort: CONTAINER.dicomPort,
    nginxPassword,
    pluginsDir: null,
    remoteAccessAllowed: true,
  }));
  replacePrivateFile(layout.dockerNginxConfig, renderNginxConfig({
    runtimeDir: '/var/cache/nginx',
    httpPort: CONTAINER.httpPort,
    httpsPort: CONTAINER.httpsPort,
    publicUrl: settings.publicUrl,
    tlsCert: CONTAINER.tlsCert,
    tlsKey: CONTAINER.tlsKey,
    webRoot: CONTAINER.webRoot,
    authServers: [CONTAINER.authServer],
    orthancServers: [CONTAINER.orthancServer],
    orthancAuthorization: basicAuthorization(ORTHANC_USER, nginxPassword),
    allowedOrigins: settings.allowedOrigins,
    accessLog: '/dev/stdout',
    workerUser: 'nginx',
    // The container's /dev/shm is a tmpfs: the cache's files hold tokens and stay in memory.
    // Nginx creates the directory for its worker user.
    authCache: settings.authCacheSeconds ? { seconds: settings.authCacheSeconds, dir: '/dev/shm/pacsgate-verify' } : null,
    // The DICOM TLS door is built for `npm run stack` only so far (docs/operations.md).
    dicomStreamConfig: null,
  }));
  replacePrivateFile(layout.composeEnv, composeEnv(settings));
}

/** `docker compose --env-file` reads these for the port mappings; env_file passes them on. */
function composeEnv(settings: GateSettings): string {
  return [
    '# Written by `npm run setup`; used by docker-compose.yml (docker compose --env-file <this file> up).',
    `PACSGATE_PUBLIC_URL=${settings.publicUrl}`,
    `PACSGATE_ALLOWED_ORIGINS=${settings.allowedOrigins.join(',')}`,
    `PACSGATE_HTTPS_PORT=${settings.httpsPort}`,
    `PACSGATE_HTTP_PORT=${settings.httpPort}`,
    `PACSGATE_DICOM_PORT=${settings.dicomPort}`,
    `PACSGATE_CONFIG_DIR=${settings.configDir}`,
    `PACSGATE_AUTH_CACHE_SECONDS=${settings.authCacheSeconds}`,
    '',
  ].join('\n');
}
