import type { StoredStudy } from './two-studies';

// The URL forms a link scoped to study A is tried with (test/e2e/scoped-access.test.ts): every one
// that reads A, and every one naming B, no study or the whole PACS, or spelling A so Orthanc could read it otherwise.
export const DICOM = { Accept: 'multipart/related; type="application/dicom"' };
export const JSON_DICOM = { Accept: 'application/dicom+json' };
export const FRAMES = { Accept: 'multipart/related; type="application/octet-stream"' };

/** A URL form: its name, its URI for studies A and B, and the Accept it asks with. */
export type Form = [name: string, path: (a: StoredStudy, b: StoredStudy) => string, headers?: Record<string, string>];
/** Every row with its headers: jest takes a test function with more parameters than its row has for one wanting `done`. */
export const rows = (forms: Form[]) => forms.map(([name, path, headers]): [string, Form[1], Record<string, string>] => [name, path, headers ?? {}]);

/** Every way to read study A (or a part of it) that a scoped token must be allowed. */
export const formsOfA: Form[] = [
  ['WADO-RS study', (a) => `/dicom-web/studies/${a.studyUid}`, DICOM],
  ['WADO-RS study metadata', (a) => `/dicom-web/studies/${a.studyUid}/metadata`, JSON_DICOM],
  ['QIDO series of the study in the path', (a) => `/dicom-web/studies/${a.studyUid}/series`, JSON_DICOM],
  ['QIDO series of the path study, filter repeating it', (a) => `/dicom-web/studies/${a.studyUid}/series?StudyInstanceUID=${a.studyUid}`, JSON_DICOM],
  ['WADO-RS series metadata', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/metadata`, JSON_DICOM],
  ['QIDO instances of the series', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances`, JSON_DICOM],
  ['WADO-RS instance', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${a.sopUid}`, DICOM],
  ['WADO-RS instance metadata', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${a.sopUid}/metadata`, JSON_DICOM],
  ['WADO-RS frames', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${a.sopUid}/frames/1`, FRAMES],
  ['WADO-RS rendered instance', (a) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${a.sopUid}/rendered`, { Accept: 'image/jpeg' }],
  ['QIDO studies, StudyInstanceUID filter', (a) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}`, JSON_DICOM],
  ['QIDO studies, 0020000D filter and more', (a) => `/dicom-web/studies?0020000D=${a.studyUid}&includefield=PatientName&limit=5`, JSON_DICOM],
  ['QIDO series, StudyInstanceUID filter', (a) => `/dicom-web/series?StudyInstanceUID=${a.studyUid}`, JSON_DICOM],
  ['QIDO instances, StudyInstanceUID filter', (a) => `/dicom-web/instances?StudyInstanceUID=${a.studyUid}`, JSON_DICOM],
  ['WADO-URI with study, series and object', (a) => `/wado?requestType=WADO&studyUID=${a.studyUid}&seriesUID=${a.seriesUid}&objectUID=${a.sopUid}`],
  ['WADO-URI with objectUID alone', (a) => `/wado?requestType=WADO&objectUID=${a.sopUid}`],
  ['REST study', (a) => `/studies/${a.orthanc.study}`],
  ['REST study archive', (a) => `/studies/${a.orthanc.study}/archive`],
  ['REST study series', (a) => `/studies/${a.orthanc.study}/series`],
  ['REST series', (a) => `/series/${a.orthanc.series}`],
  ['REST series media', (a) => `/series/${a.orthanc.series}/media`],
  ['REST instance file', (a) => `/instances/${a.orthanc.instance}/file`],
  ['REST instance preview', (a) => `/instances/${a.orthanc.instance}/preview`],
  ['REST instance tags', (a) => `/instances/${a.orthanc.instance}/tags`],
  ['REST frame preview', (a) => `/instances/${a.orthanc.instance}/frames/0/preview`],
];

/** Every way to name study B, its parts, no study or the whole PACS: all must be 403 with nothing of B. */
export const formsOfB: Form[] = [
  ['WADO-RS study B', (_a, b) => `/dicom-web/studies/${b.studyUid}`, DICOM],
  ['WADO-RS study B metadata', (_a, b) => `/dicom-web/studies/${b.studyUid}/metadata`, JSON_DICOM],
  ['QIDO series of study B', (_a, b) => `/dicom-web/studies/${b.studyUid}/series`, JSON_DICOM],
  ['WADO-RS frames of B', (_a, b) => `/dicom-web/studies/${b.studyUid}/series/${b.seriesUid}/instances/${b.sopUid}/frames/1`, FRAMES],
  ['QIDO naming B', (_a, b) => `/dicom-web/studies?StudyInstanceUID=${b.studyUid}`, JSON_DICOM],
  ['QIDO naming A,B', (a, b) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid},${b.studyUid}`, JSON_DICOM],
  ['QIDO naming A,B encoded', (a, b) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}%2C${b.studyUid}`, JSON_DICOM],
  ['QIDO naming A\\B', (a, b) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}%5C${b.studyUid}`, JSON_DICOM],
  ['QIDO naming no study', () => '/dicom-web/studies', JSON_DICOM],
  ['QIDO by B’s patient', (_a, b) => `/dicom-web/studies?PatientID=${b.patient.id}`, JSON_DICOM],
  ['QIDO series naming no study', () => '/dicom-web/series', JSON_DICOM],
  ['QIDO instances by B’s patient', (_a, b) => `/dicom-web/instances?PatientID=${b.patient.id}`, JSON_DICOM],
  ['QIDO with the filter repeated (last wins in Orthanc)', (a, b) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}&StudyInstanceUID=${b.studyUid}`, JSON_DICOM],
  ['QIDO with both spellings', (a, b) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}&0020000D=${b.studyUid}`, JSON_DICOM],
  ['QIDO with a spelling Orthanc ignores', (a) => `/dicom-web/studies?studyinstanceuid=${a.studyUid}`, JSON_DICOM],
  ['QIDO with an encoded key', (a) => `/dicom-web/studies?Study%49nstanceUID=${a.studyUid}`, JSON_DICOM],
  ['QIDO with an empty filter', () => '/dicom-web/studies?StudyInstanceUID=', JSON_DICOM],
  ['QIDO with a wildcard', () => '/dicom-web/studies?StudyInstanceUID=1.2*', JSON_DICOM],
  ['QIDO with fuzzy matching', (a) => `/dicom-web/studies?StudyInstanceUID=${a.studyUid}&fuzzymatching=true`, JSON_DICOM],
  ['QIDO of A’s series filtered to B', (a, b) => `/dicom-web/studies/${a.studyUid}/series?StudyInstanceUID=${b.studyUid}`, JSON_DICOM],
  ['studies/A/series/<series of B>', (a, b) => `/dicom-web/studies/${a.studyUid}/series/${b.seriesUid}/metadata`, JSON_DICOM],
  ['studies/A/series/<series of B>/instances/<instance of B>', (a, b) => `/dicom-web/studies/${a.studyUid}/series/${b.seriesUid}/instances/${b.sopUid}`, DICOM],
  ['studies/A/series/<series of A>/instances/<instance of B>/frames', (a, b) => `/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${b.sopUid}/frames/1`, FRAMES],
  ['WADO-URI studyUID=A, objectUID of B', (a, b) => `/wado?requestType=WADO&studyUID=${a.studyUid}&objectUID=${b.sopUid}`],
  ['WADO-URI A’s study and series, objectUID of B', (a, b) => `/wado?requestType=WADO&studyUID=${a.studyUid}&seriesUID=${a.seriesUid}&objectUID=${b.sopUid}`],
  ['WADO-URI objectUID of B alone', (_a, b) => `/wado?requestType=WADO&objectUID=${b.sopUid}`],
  ['WADO-URI objectUID repeated, B last', (a, b) => `/wado?requestType=WADO&objectUID=${a.sopUid}&objectUID=${b.sopUid}`],
  ['REST study B', (_a, b) => `/studies/${b.orthanc.study}`],
  ['REST study B archive', (_a, b) => `/studies/${b.orthanc.study}/archive`],
  ['REST series B', (_a, b) => `/series/${b.orthanc.series}`],
  ['REST series B archive', (_a, b) => `/series/${b.orthanc.series}/archive`],
  ['REST instance B file', (_a, b) => `/instances/${b.orthanc.instance}/file`],
  ['REST instance B preview', (_a, b) => `/instances/${b.orthanc.instance}/preview`],
  ['REST instance B tags', (_a, b) => `/instances/${b.orthanc.instance}/tags`],
  ['REST patient of A (lists its other studies)', (a) => `/studies/${a.orthanc.study}/patient`],
  ['REST id that names nothing', () => '/studies/00000000-00000000-00000000-00000000-00000000'],
  ['/patients', () => '/patients'],
  ['/studies list', () => '/studies'],
  ['/series list', () => '/series'],
  ['/instances list', () => '/instances'],
  ['/system', () => '/system'],
  ['/statistics', () => '/statistics'],
  ['/changes', () => '/changes'],
  ['/exports', () => '/exports'],
  ['/jobs', () => '/jobs'],
  ['/modalities', () => '/modalities'],
  ['/peers', () => '/peers'],
  ['/tools/find (GET)', () => '/tools/find'],
  ['the explorer', () => '/app/explorer.html'],
  ['DICOMweb servers', () => '/dicom-web/servers'],
  ['%2e%2e from A to B', (a, b) => `/dicom-web/studies/${a.studyUid}/%2e%2e/${b.studyUid}`, DICOM],
  ['.. from A to B', (a, b) => `/dicom-web/studies/${a.studyUid}/../${b.studyUid}`, DICOM],
  ['%2F..%2F from A to B', (a, b) => `/dicom-web/studies/${a.studyUid}%2F..%2F${b.studyUid}`, DICOM],
  ['// before B', (_a, b) => `/dicom-web//studies/${b.studyUid}`, DICOM],
  ['// inside A’s path', (a) => `/dicom-web/studies//${a.studyUid}`, DICOM],
  ['trailing / on A', (a) => `/dicom-web/studies/${a.studyUid}/`, DICOM],
  ['an encoded character in A', (a) => `/dicom-web/studies/%31${a.studyUid.slice(1)}`, DICOM],
  ['.. from A’s REST id to B’s', (a, b) => `/studies/${a.orthanc.study}/../${b.orthanc.study}`],
  ['%2e%2e from A’s REST id to B’s', (a, b) => `/studies/${a.orthanc.study}/%2e%2e/${b.orthanc.study}`],
];

