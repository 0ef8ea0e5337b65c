import { join } from 'node:path';
import { ConfigLayout } from '../../auth-server/src/config-files';
import { REPO_ROOT } from '../repo-root';
import { Modality, Registry } from './modality';

/** Prints each C-STORE and C-FIND Orthanc accepts, for the audit (Orthanc 1.10 logs them with no caller). */
export const DICOM_AUDIT_LUA = join(REPO_ROOT, 'setup', 'dicom', 'dicom-audit.lua');

/**
 * Orthanc's part of the registry, in a file of its own beside pacsgate.json. Every modality's
 * Host is its loopback address: only Nginx, after checking the certificate and the address the
 * modality connects from, connects from there. Echo is always allowed (the connection test);
 * C-MOVE never: Orthanc would send the images to the destination in clear.
 */
export function renderOrthancModalities(registry: Registry): string {
  const modalities = Object.fromEntries(registry.modalities.map((modality) => [modality.name, {
    AET: modality.aet,
    Host: modality.loopback,
    Port: modality.port,
    AllowEcho: true,
    AllowStore: modality.store,
    AllowFind: modality.find,
    AllowGet: modality.get,
    AllowMove: false,
    AllowFindWorklist: false,
    AllowStorageCommitment: false,
  }]));
  // No modality, no DICOM server at all: nothing listens until the first one is registered.
  const enabled = registry.modalities.length > 0;
  return `${JSON.stringify({ DicomServerEnabled: enabled, DicomModalities: modalities, LuaScripts: enabled ? [DICOM_AUDIT_LUA] : [] }, null, 2)}\n`;
}

export interface DicomTlsSettings {
  tlsPort: number;
  /** Orthanc's plain DICOM port on loopback, where Nginx forwards. */
  orthancDicomPort: number;
}

/** Only the pinned certificate, from the registered address, maps to the modality's loopback address. */
function pinLine(modality: Modality): string[] {
  if (!modality.certificate) return [];
  return [`    "${modality.certificate.fingerprint} ${modality.host}" ${modality.loopback};`];
}

/** The DICOM log line: one per TLS connection, when it ends. Never the DICOM payload. */
const LOG_FORMAT = [
  '"time":"$time_iso8601"', '"ip":"$remote_addr"', '"verify":"$ssl_client_verify"', '"subject":"$ssl_client_s_dn"',
  '"fingerprint":"$ssl_client_fingerprint"', '"loopback":"$pacsgate_dicom_loopback"', '"status":"$status"', '"protocol":"$ssl_protocol"',
].join(',');

/**
 * Nginx's stream block for the DICOM TLS port, or a comment when no modality is registered (the
 * port stays closed). Mutual TLS against pacsgate's CA (and the operator's), TLS 1.2+ with AEAD
 * ciphers only; then the certificate must be one pinned for a modality and the client must connect
 * from that modality's address, or the connection goes nowhere.
 */
export function renderDicomStream(registry: Registry, layout: ConfigLayout, settings: DicomTlsSettings): string {
  if (registry.modalities.length === 0) return '# No modality is registered: the DICOM TLS port is closed (npm run modalities -- add ...).\n';
  return `${[
    '# Written by `npm run modalities` and `npm run stack` from the modality registry; edits are overwritten.',
    'stream {',
    '  map_hash_bucket_size 256;',
    `  log_format pacsgate_dicom escape=json '{${LOG_FORMAT}}';`,
    `  access_log ${layout.nginxDicomLog} pacsgate_dicom;`,
    '  map "$ssl_client_fingerprint $remote_addr" $pacsgate_dicom_loopback {',
    '    default "";',
    ...registry.modalities.flatMap(pinLine),
    '  }',
    '  map $pacsgate_dicom_loopback $pacsgate_dicom_upstream {',
    // Refused: a socket that does not exist, so the connection is closed right after the handshake.
    `    "" unix:${layout.nginxRuntime}/refused.sock;`,
    `    default 127.0.0.1:${settings.orthancDicomPort};`,
    '  }',
    '  server {',
    `    listen ${settings.tlsPort} ssl;`,
    `    ssl_certificate ${layout.dicomServerCert};`,
    `    ssl_certificate_key ${layout.dicomServerKey};`,
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;',
    '    ssl_session_tickets off;',
    '    ssl_verify_client on;',
    `    ssl_client_certificate ${layout.dicomTrustedCas};`,
    '    ssl_verify_depth 3;',
    '    proxy_bind $pacsgate_dicom_loopback;',
    '    proxy_pass $pacsgate_dicom_upstream;',
    '  }',
    '}',
  ].join('\n')}\n`;
}
