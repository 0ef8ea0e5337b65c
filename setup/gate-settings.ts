import { resolve } from 'node:path';
import { z } from 'zod';
import { orthancHttpPort } from '../auth-server/src/config';
import { MAX_AUTH_CACHE_SECONDS } from '../auth-server/src/verify/cache-control';

/** Everything setup and the stack need to know about where the gate listens. */
export interface GateSettings {
  configDir: string;
  publicUrl: string;
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
  /** PACSGATE_AUTH_CACHE_SECONDS: how long Nginx may reuse an allowed `/verify` answer; 0 or absent: off. */
  authCacheSeconds?: number;
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const stackEnvSchema = z.object({
  PACSGATE_CONFIG_DIR: z.string().min(1).default('./data'),
  PACSGATE_PUBLIC_URL: z.url({ protocol: /^https$/ }).optional(),
  PACSGATE_ALLOWED_ORIGINS: z.string().default(''),
  PACSGATE_HTTPS_PORT: port(8443),
  PACSGATE_HTTP_PORT: port(8080),
  PACSGATE_ORTHANC_HTTP_PORT: orthancHttpPort,
  PACSGATE_DICOM_PORT: port(4242),
  // 2762: the port IANA registered for DICOM over TLS.
  PACSGATE_DICOM_TLS_PORT: port(2762),
  PACSGATE_DICOM_TLS_CA: z.string().min(1).optional(),
  PACSGATE_PORT: port(3000),
  PACSGATE_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  PACSGATE_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(MAX_AUTH_CACHE_SECONDS).default(0),
});

/** Reads the operator-interface variables once; every bad one is named in the error. */
export function gateSettingsFromEnv(env: Record<string, string | undefined> = process.env): GateSettings {
  const parsed = stackEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  return {
    configDir: resolve(values.PACSGATE_CONFIG_DIR),
    publicUrl: (values.PACSGATE_PUBLIC_URL ?? `https://localhost:${values.PACSGATE_HTTPS_PORT}`).replace(/\/+$/, ''),
    allowedOrigins: values.PACSGATE_ALLOWED_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    httpsPort: values.PACSGATE_HTTPS_PORT,
    httpPort: values.PACSGATE_HTTP_PORT,
    orthancHttpPort: values.PACSGATE_ORTHANC_HTTP_PORT,
    dicomPort: values.PACSGATE_DICOM_PORT,
    dicomTlsPort: values.PACSGATE_DICOM_TLS_PORT,
    dicomTlsCa: values.PACSGATE_DICOM_TLS_CA && resolve(values.PACSGATE_DICOM_TLS_CA),
    authPort: values.PACSGATE_PORT,
    bcryptCost: values.PACSGATE_BCRYPT_COST,
    authCacheSeconds: values.PACSGATE_AUTH_CACHE_SECONDS,
  };
}
