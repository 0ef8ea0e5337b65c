import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * One DICOM device allowed through the TLS door. `loopback` is the address Nginx connects to
 * Orthanc from for this modality only: Orthanc's per-modality host check then binds the AE title
 * to the certificate and address Nginx verified (docs/operations.md, "Connecting a modality").
 */
export const modalitySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or dashes, starting with a letter or digit'),
  aet: z.string().regex(/^[A-Za-z0-9_.-]{1,16}$/, 'must be 1-16 characters: letters, digits, _ . -'),
  host: z.string().refine((host) => isIP(host) === 4, 'must be the IPv4 address the modality connects from (not a name: DNS must not decide who is let in)'),
  port: z.number().int().min(1).max(65535),
  store: z.boolean(),
  find: z.boolean(),
  get: z.boolean(),
  loopback: z.string().regex(/^127\.0\.1\.\d{1,3}$/),
  certificate: z.object({ fingerprint: z.string().regex(/^[0-9a-f]{40}$/), subject: z.string(), expires: z.string() }).optional(),
});

export type Modality = z.infer<typeof modalitySchema>;
export type ModalityRequest = Omit<Modality, 'loopback' | 'certificate'>;
export type Permission = 'store' | 'find' | 'get';
export const PERMISSIONS: Permission[] = ['store', 'find', 'get'];

export const registrySchema = z.object({ modalities: z.array(modalitySchema) });
export type Registry = z.infer<typeof registrySchema>;
export const EMPTY_REGISTRY: Registry = { modalities: [] };

/** 127.0.1.1-254: outside 127.0.0.1 (every local process), one per modality. */
const LOOPBACK_HOSTS = 254;

export class RegistryError extends Error {}

function freeLoopback(registry: Registry): string {
  const taken = new Set(registry.modalities.map((modality) => modality.loopback));
  for (let host = 1; host <= LOOPBACK_HOSTS; host += 1) {
    if (!taken.has(`127.0.1.${host}`)) return `127.0.1.${host}`;
  }
  throw new RegistryError(`at most ${LOOPBACK_HOSTS} modalities can be registered`);
}

export function findModality(registry: Registry, name: string): Modality {
  const modality = registry.modalities.find((candidate) => candidate.name === name);
  if (!modality) throw new RegistryError(`there is no modality ${name}`);
  return modality;
}

/** A new registry with `request` added; names and AE titles are unique (Orthanc looks modalities up by AE title). */
export function addModality(registry: Registry, request: ModalityRequest): Registry {
  const problems = modalitySchema.omit({ loopback: true, certificate: true }).safeParse(request);
  if (!problems.success) throw new RegistryError(problems.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  if (registry.modalities.some((modality) => modality.name === request.name)) throw new RegistryError(`a modality named ${request.name} is already registered`);
  const sameAet = registry.modalities.find((modality) => modality.aet === request.aet);
  if (sameAet) throw new RegistryError(`AE title ${request.aet} is already registered for ${sameAet.name}`);
  return { modalities: [...registry.modalities, { ...problems.data, loopback: freeLoopback(registry) }] };
}

export function removeModality(registry: Registry, name: string): Registry {
  findModality(registry, name);
  return { modalities: registry.modalities.filter((modality) => modality.name !== name) };
}

/** Pins `certificate` (or none: revoked) as the only one `name` is let in with. */
export function pinCertificate(registry: Registry, name: string, certificate: Modality['certificate']): Registry {
  findModality(registry, name);
  if (certificate && registry.modalities.some((modality) => modality.name !== name && modality.certificate?.fingerprint === certificate.fingerprint)) {
    throw new RegistryError('that certificate is already pinned for another modality');
  }
  return { modalities: registry.modalities.map((modality) => (modality.name === name ? { ...modality, certificate } : modality)) };
}
