import { join } from 'node:path';
import { ORTHANC_PASSWORD_FILE } from './orthanc/credential';

/**
 * Where each file lives inside PACSGATE_CONFIG_DIR: the auth server's own, and those setup writes
 * for TLS, Orthanc, Nginx and Docker. One list, so setup, the stack and the server agree.
 */
export function configLayout(configDir: string) {
  return {
    configDir,
    adminPasswordHash: join(configDir, 'admin-password.bcrypt'),
    sessionSecret: join(configDir, 'session-secret'),
    auditLog: join(configDir, 'audit.log'),
    database: join(configDir, 'pacsgate.sqlite'),
    signingKeys: join(configDir, 'signing-keys'),
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
  };
}

export type ConfigLayout = ReturnType<typeof configLayout>;
