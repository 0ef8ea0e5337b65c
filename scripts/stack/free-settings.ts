import { gateSettingsFromEnv, type GateSettings } from '../../setup/gate-settings';
import { findFreePort } from './ports';

/**
 * Settings for a throwaway stack (tests, the benchmark) on free ports, parsed from variables as
 * `npm run stack` parses its environment; bcrypt cost 4, since throwaway users are not worth 12.
 * `more` adds variables that may depend on the HTTPS port, e.g. the public URL.
 */
export async function settingsOnFreePorts(configDir: string, more: (httpsPort: number) => Record<string, string> = () => ({})): Promise<GateSettings> {
  const [httpsPort, httpPort, orthancHttpPort, dicomPort, dicomTlsPort, authPort] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => findFreePort()));
  return gateSettingsFromEnv({
    PACSGATE_CONFIG_DIR: configDir,
    PACSGATE_HTTPS_PORT: String(httpsPort),
    PACSGATE_HTTP_PORT: String(httpPort),
    PACSGATE_ORTHANC_HTTP_PORT: String(orthancHttpPort),
    PACSGATE_DICOM_PORT: String(dicomPort),
    PACSGATE_DICOM_TLS_PORT: String(dicomTlsPort),
    PACSGATE_PORT: String(authPort),
    PACSGATE_BCRYPT_COST: '4',
    ...more(httpsPort),
  });
}
