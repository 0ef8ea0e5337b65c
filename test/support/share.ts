import type { CreatedLink } from '../../auth-server/src/share/create-link';
import { api, expectStatus } from './api';
import { startLoneOrthanc, type LoneOrthanc } from './orthanc-alone';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from './test-app';

export interface ShareFixture {
  t: TestApp & { cleanup(): Promise<void> };
  orthanc: LoneOrthanc;
  /** StudyInstanceUIDs of two studies of different patients stored in Orthanc. */
  studyA: string;
  studyB: string;
}

export const PATIENT_A = { name: 'Alpha^Anna', id: 'SHARE-ALPHA' };
export const PATIENT_B = { name: 'Beta^Bert', id: 'SHARE-BETA' };

/** A real Orthanc holding studies A and B, and a test app that asks it, for the enclosing describe. */
export function useShareFixture(env: Record<string, string> = {}): ShareFixture {
  const fixture = {} as ShareFixture;
  beforeAll(async () => {
    fixture.orthanc = await startLoneOrthanc();
    fixture.studyA = await fixture.orthanc.storeStudy(PATIENT_A);
    fixture.studyB = await fixture.orthanc.storeStudy(PATIENT_B);
    fixture.t = createTestApp({ ...fixture.orthanc.env, ...env });
  }, 60_000);
  afterAll(async () => {
    await fixture.t?.cleanup();
    await fixture.orthanc?.stop();
  });
  return fixture;
}

export const ADMIN_BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

export const postShare = (t: TestApp, body: Record<string, unknown>, headers: Record<string, string> = {}) => api(t).post('/share').set(headers).send(body);

/** Makes a link as the admin; fails with the answer when it is not a 201. */
export async function createShare(t: TestApp, body: Record<string, unknown>): Promise<CreatedLink> {
  return expectStatus(await postShare(t, { password: ADMIN_PASSWORD, ...body }), 201).body as CreatedLink;
}

/** The `/open/<token>` path of a link's URL, as Nginx hands it to the auth server (without `/auth`). */
export const openPath = (link: CreatedLink): string => new URL(link.url).pathname.replace(/^\/auth/, '');
