import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicAuthorization, ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { StackChild } from '../../scripts/stack/child';
import { findFreePort } from '../../scripts/stack/ports';
import { waitUntilHealthy } from '../../scripts/stack/probe';
import { ORTHANC_BINARY } from '../../scripts/stack/start-stack';
import { renderOrthancConfig } from '../../setup/orthanc-config';
import { makeSmallDicom, type TestPatient } from './dicom';
import { dicomTag } from './two-studies';

/** A real Orthanc on its own, configured as setup configures it, for tests of the auth server's calls to it. */
export interface LoneOrthanc {
  /** The auth server's settings that point at it. */
  env: { PACSGATE_ORTHANC_URL: string; PACSGATE_ORTHANC_PASSWORD: string };
  /** Makes a one-instance study for `patient` (img2dcm), stores it, and returns its StudyInstanceUID. */
  storeStudy(patient: TestPatient): Promise<string>;
  stop(): Promise<void>;
}

export async function startLoneOrthanc(): Promise<LoneOrthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-orthanc-'));
  const [httpPort, dicomPort] = await Promise.all([findFreePort(), findFreePort()]);
  const password = 'lone-orthanc-password';
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'orthanc.json'), renderOrthancConfig({ storageDir: join(dir, 'db'), httpPort, dicomPort, nginxPassword: password, pluginsDir: null, remoteAccessAllowed: false }));
  const url = `http://127.0.0.1:${httpPort}`;
  const authorization = basicAuthorization(ORTHANC_USER, password);
  const orthanc = StackChild.start('orthanc', ORTHANC_BINARY, [join(dir, 'config')], process.env, () => undefined);
  try {
    await waitUntilHealthy(orthanc, `${url}/system`, 20_000, { Authorization: authorization });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    env: { PACSGATE_ORTHANC_URL: url, PACSGATE_ORTHANC_PASSWORD: password },
    storeStudy: async (patient) => {
      const file = makeSmallDicom(dir, patient);
      const response = await fetch(`${url}/instances`, { method: 'POST', headers: { Authorization: authorization }, body: readFileSync(file) });
      if (!response.ok) throw new Error(`Orthanc refused the instance: ${response.status}`);
      return dicomTag(file, 'StudyInstanceUID');
    },
    stop: async () => {
      await orthanc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
