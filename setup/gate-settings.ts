import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../auth-server/src/config';
import { port, problemsOf, publicUrlOf, serverList, sharedFields } from '../auth-server/src/config-fields';

/** Everything setup and the stack need to know about where the gate listens. */
export interface GateSettings {
  configDir: string;
  publicUrl: string;
  /** Normalised as the auth server stores them, so Nginx's CORS map matches what browsers send. */
  allowedOrigins: string[];
  httpsPort: number;
  httpPort: number;
  orthancHttpPort: number;
  /** Orthanc's plain DICOM port: only Nginx's DICOM TLS door forwards there, from loopback. */
  dicomPort: number;
  /** PACSGATE_DICOM_TLS_PORT: the DICOM TLS door, open only while a modality is registered. */
  dicomTlsPort: number;
  /** PACSGATE_DICOM_TLS_CA: a PEM bundle of the operator's own CA, trusted for modality certificates beside pacsgate's. */
  dicomTlsCa?: string;
  authPort: number;
  /** The auth server's PACSGATE_BCRYPT_COST, so the admin hash setup stores costs what its others do. */
  bcryptCost: number;
  /** PACSGATE_AUTH_CACHE_SECONDS: how long Nginx may reuse an allowed `/verify` answer; 0: off. */
  authCacheSeconds: number;
  /** PACSGATE_AUTH_SERVERS: host:port of every auth server Nginx asks; by default this machine's one. */
  authServers: string[];
  /** PACSGATE_ORTHANC_SERVERS: host:port of every Orthanc Nginx proxies to; by default this machine's one. */
  orthancServers: string[];
}

// The auth server's own fields plus the ports only setup and the stack use.
const stackEnvSchema = z.object({
  ...sharedFields,
  PACSGATE_HTTP_PORT: port(8080),
  PACSGATE_DICOM_PORT: port(4242),
  // 2762: the port IANA registered for DICOM over TLS.
  PACSGATE_DICOM_TLS_PORT: port(2762),
  PACSGATE_DICOM_TLS_CA: z.string().min(1).optional(),
  PACSGATE_AUTH_SERVERS: serverList,
  PACSGATE_ORTHANC_SERVERS: serverList,
});

/** The servers listed, or the one the stack starts on this machine's loopback. */
const orLocal = (servers: string[], localPort: number): string[] => (servers.length > 0 ? servers : [`127.0.0.1:${localPort}`]);

/** Reads the operator-interface variables once, by the auth server's rules; every bad one is named in the error. */
export function gateSettingsFromEnv(env: Record<string, string | undefined> = process.env): GateSettings {
  const parsed = stackEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error));
  const values = parsed.data;
  return {
    configDir: resolve(values.PACSGATE_CONFIG_DIR),
    publicUrl: publicUrlOf(values),
    allowedOrigins: values.PACSGATE_ALLOWED_ORIGINS,
    httpsPort: values.PACSGATE_HTTPS_PORT,
    httpPort: values.PACSGATE_HTTP_PORT,
    orthancHttpPort: values.PACSGATE_ORTHANC_HTTP_PORT,
    dicomPort: values.PACSGATE_DICOM_PORT,
    dicomTlsPort: values.PACSGATE_DICOM_TLS_PORT,
    dicomTlsCa: values.PACSGATE_DICOM_TLS_CA && resolve(values.PACSGATE_DICOM_TLS_CA),
    authPort: values.PACSGATE_PORT,
    bcryptCost: values.PACSGATE_BCRYPT_COST,
    authCacheSeconds: values.PACSGATE_AUTH_CACHE_SECONDS,
    authServers: orLocal(values.PACSGATE_AUTH_SERVERS, values.PACSGATE_PORT),
    orthancServers: orLocal(values.PACSGATE_ORTHANC_SERVERS, values.PACSGATE_ORTHANC_HTTP_PORT),
  };
}
