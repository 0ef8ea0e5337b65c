import { existsSync, readFileSync } from 'node:fs';
import { ConfigLayout } from '../../auth-server/src/config-files';
import { replacePrivateFile } from '../private-files';
import { EMPTY_REGISTRY, Registry, RegistryError, registrySchema } from './modality';
import { renderDicomStream, renderOrthancModalities } from './render';

export function readRegistry(layout: ConfigLayout): Registry {
  if (!existsSync(layout.modalityRegistry)) return EMPTY_REGISTRY;
  const parsed = registrySchema.safeParse(JSON.parse(readFileSync(layout.modalityRegistry, 'utf8')));
  if (!parsed.success) throw new RegistryError(`${layout.modalityRegistry} is damaged: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export interface DicomDoorSettings {
  dicomTlsPort: number;
  dicomPort: number;
  /** PACSGATE_DICOM_TLS_CA: the operator's CA bundle, trusted beside pacsgate's own. */
  dicomTlsCa?: string;
}

/** The CA certificates modality certificates may be signed by. */
export function trustedCaPems(layout: ConfigLayout, settings: DicomDoorSettings): string[] {
  const operator = settings.dicomTlsCa ? readFileSync(settings.dicomTlsCa, 'utf8') : '';
  return [readFileSync(layout.dicomCaCert, 'utf8'), operator].filter(Boolean);
}

/**
 * Orthanc's modalities file, Nginx's stream block and its CA bundle, from the registry. Everything
 * derived from it is rewritten together, so the three never disagree after a change.
 */
export function writeDicomConfigs(layout: ConfigLayout, settings: DicomDoorSettings, registry: Registry): void {
  replacePrivateFile(layout.dicomTrustedCas, trustedCaPems(layout, settings).join('\n'));
  replacePrivateFile(layout.orthancModalitiesConfig, renderOrthancModalities(registry));
  replacePrivateFile(layout.nginxDicomConfig, renderDicomStream(registry, layout, { tlsPort: settings.dicomTlsPort, orthancDicomPort: settings.dicomPort }));
}

/** Saves the registry and everything derived from it. */
export function saveRegistry(layout: ConfigLayout, settings: DicomDoorSettings, registry: Registry): void {
  replacePrivateFile(layout.modalityRegistry, `${JSON.stringify(registry, null, 2)}\n`);
  writeDicomConfigs(layout, settings, registry);
}
