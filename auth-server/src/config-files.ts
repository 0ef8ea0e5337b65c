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
    nginxPid: join(configDir, 'nginx', 'run', 'nginx.pid'),
    /** The DICOM TLS door (setup/dicom/): Nginx's stream block and its log, read by the stack's auditor. */
    nginxDicomConfig: join(configDir, 'nginx', 'dicom-tls.conf'),
    nginxDicomLog: join(configDir, 'nginx', 'run', 'dicom-tls.log'),
    /** Written from the modality registry; Orthanc reads it beside pacsgate.json. */
    orthancModalitiesConfig: join(configDir, 'orthanc', 'config', 'modalities.json'),
    dicomCaCert: join(configDir, 'dicom', 'ca', 'cert.pem'),
    dicomCaKey: join(configDir, 'dicom', 'ca', 'key.pem'),
    dicomServerCert: join(configDir, 'dicom', 'server', 'cert.pem'),
    dicomServerKey: join(configDir, 'dicom', 'server', 'key.pem'),
    /** pacsgate's CA, plus the operator's (PACSGATE_DICOM_TLS_CA): the CAs Nginx checks modality certificates against. */
    dicomTrustedCas: join(configDir, 'dicom', 'trusted-cas.pem'),
    modalityRegistry: join(configDir, 'dicom', 'modalities.json'),
    issuedModalityCerts: join(configDir, 'dicom', 'issued'),
    dockerNginxConfig: join(configDir, 'docker', 'nginx.conf'),
    dockerOrthancConfig: join(configDir, 'docker', 'orthanc.json'),
    composeEnv: join(configDir, 'pacsgate.env'),
    /** Nginx's root for static files; the only world-readable folder here (no secrets in it). */
    webRoot: join(configDir, 'web'),
    /** The OHIF copy setup prepares (setup/viewer/), served at /viewer/. */
    viewerDir: join(configDir, 'web', 'viewer'),
  };
}

export type ConfigLayout = ReturnType<typeof configLayout>;
