import { join } from 'node:path';
import { ORTHANC_PASSWORD_FILE } from '../auth-server/src/orthanc/credential';

/** Where setup and the stack keep each file inside PACSGATE_CONFIG_DIR, beside the auth server's own. */
export function configLayout(configDir: string) {
  return {
    configDir,
    tlsCert: join(configDir, 'tls', 'cert.pem'),
    tlsKey: join(configDir, 'tls', 'key.pem'),
    /** Orthanc reads every *.json here: ours, plus the operator's own (e.g. DicomModalities). */
    orthancConfigDir: join(configDir, 'orthanc', 'config'),
    orthancConfig: join(configDir, 'orthanc', 'config', 'pacsgate.json'),
    orthancStorage: join(configDir, 'orthanc', 'storage'),
    orthancNginxPassword: join(configDir, ORTHANC_PASSWORD_FILE),
    nginxConfig: join(configDir, 'nginx', 'nginx.conf'),
    nginxRuntime: join(configDir, 'nginx', 'run'),
    nginxAccessLog: join(configDir, 'nginx', 'run', 'access.log'),
    dockerNginxConfig: join(configDir, 'docker', 'nginx.conf'),
    dockerOrthancConfig: join(configDir, 'docker', 'orthanc.json'),
    composeEnv: join(configDir, 'pacsgate.env'),
    signingKeys: join(configDir, 'signing-keys'),
    /** Nginx's root for static files; the only world-readable folder here (no secrets in it). */
    webRoot: join(configDir, 'web'),
    /** The OHIF copy setup prepares (setup/viewer/), served at /viewer/. */
    viewerDir: join(configDir, 'web', 'viewer'),
  };
}

export type ConfigLayout = ReturnType<typeof configLayout>;

export { ORTHANC_USER as ORTHANC_NGINX_USER } from '../auth-server/src/orthanc/credential';
