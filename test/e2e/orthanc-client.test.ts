import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../auth-server/src/clock';
import { loadConfig } from '../../auth-server/src/config';
import { basicAuthorization, ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { OrthancClient } from '../../auth-server/src/orthanc/orthanc-client';
import { OrthancUnavailable } from '../../auth-server/src/orthanc/orthanc-http';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';
import { StoredStudy, storeStudy } from '../support/two-studies';

// The auth server's own Orthanc client against the stack's real Orthanc, configured as the server
// configures it: URL from the Orthanc port, credential from the file setup wrote.
let gate: TestStack;
let workDir: string;
let client: OrthancClient;
let a: StoredStudy;
let b: StoredStudy;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-orthanc-client-'));
  gate = await startTestStack();
  const editToken = await issueAccessToken(gate.client, { username: 'client-editor', canEdit: true });
  a = await storeStudy(gate.client, workDir, { name: 'Alpha^Anna', id: 'OC-ALPHA' }, editToken);
  b = await storeStudy(gate.client, workDir, { name: 'Beta^Bert', id: 'OC-BETA' }, editToken);
  const config = loadConfig({ PACSGATE_CONFIG_DIR: gate.settings.configDir, PACSGATE_ORTHANC_HTTP_PORT: String(gate.settings.orthancHttpPort) });
  client = new OrthancClient(config.orthanc, systemClock);
}, 90000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

it('tells a stored study from an unknown StudyInstanceUID', async () => {
  expect(await client.studyExists(a.studyUid)).toBe(true);
  expect(await client.studyExists('1.2.3.4.5.6.7')).toBe(false);
  // A series or instance UID is not a study.
  expect(await client.studyExists(a.seriesUid)).toBe(false);
});

it('searches studies by patient name, patient ID, accession number and date', async () => {
  const byName = await client.searchStudies({ patientName: 'alph' });
  expect(byName.map((study) => study.studyInstanceUid)).toEqual([a.studyUid]);
  expect(byName[0]).toMatchObject({ orthancId: a.orthanc.study, patientName: 'Alpha^Anna', patientId: 'OC-ALPHA' });
  expect((await client.searchStudies({ patientId: 'OC-BETA' })).map((study) => study.studyInstanceUid)).toEqual([b.studyUid]);
  expect(await client.searchStudies({ patientName: 'nobody-has-this-name' })).toEqual([]);
  expect(await client.searchStudies({ accessionNumber: 'no-such-accession' })).toEqual([]);
  expect(await client.searchStudies({ studyDate: '19000101-19001231' })).toEqual([]);
  // A criterion of wildcards only is no criterion: every study (up to the limit).
  const all = await client.searchStudies({ patientName: '*?' });
  expect(all.map((study) => study.studyInstanceUid).sort()).toEqual([a.studyUid, b.studyUid].sort());
});

it.each(['studies', 'series', 'instances'] as const)('finds the StudyInstanceUID of a resource of level %s, then knows it without asking', async (level) => {
  const id = { studies: b.orthanc.study, series: b.orthanc.series, instances: b.orthanc.instance }[level];
  expect(client.knownStudyOfResource(level, id)).toBeUndefined();
  expect(await client.studyOfResource(level, id)).toBe(b.studyUid);
  expect(client.knownStudyOfResource(level, id)).toBe(b.studyUid);
});

it('answers null for an Orthanc id that names nothing', async () => {
  expect(await client.studyOfResource('series', '00000000-00000000-00000000-00000000-00000000')).toBeNull();
});

it('finds the real study of a SOPInstanceUID', async () => {
  expect(await client.studiesOfInstance(a.sopUid)).toEqual([a.studyUid]);
  expect(client.knownStudiesOfInstance(a.sopUid)).toEqual([a.studyUid]);
  expect(await client.studiesOfInstance('1.2.3.4.5.6.7.8')).toBeNull();
});

it('makes a wrong credential a clear OrthancUnavailable, not an answer', async () => {
  const wrong = new OrthancClient({ url: `http://127.0.0.1:${gate.settings.orthancHttpPort}`, authorization: basicAuthorization(ORTHANC_USER, 'wrong') }, systemClock);
  await expect(wrong.studyExists(a.studyUid)).rejects.toEqual(new OrthancUnavailable('credential'));
  const none = new OrthancClient({ url: `http://127.0.0.1:${gate.settings.orthancHttpPort}` }, systemClock);
  await expect(none.studyOfResource('studies', a.orthanc.study)).rejects.toBeInstanceOf(OrthancUnavailable);
});
