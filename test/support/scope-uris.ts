import fc from 'fast-check';

// Two studies, A and B, with ids and UIDs of their parts, and URLs that name them anywhere (encoded
// or not, behind path tricks): the scope matcher's property tests and its memo's.
export const A = '1.2.826.0.1.3680043.8.498.1';
export const B = '1.2.826.0.1.3680043.8.498.2';
export const ID_A = 'aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa';
export const ID_B = 'bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb';
export const SOP_A = '1.2.826.0.1.3680043.8.498.11';
export const SOP_B = '1.2.826.0.1.3680043.8.498.22';
export const SERIES_A = '1.2.826.0.1.3680043.8.498.111';
export const SERIES_B = '1.2.826.0.1.3680043.8.498.222';

const studyUid = fc.constantFrom(A, B, `${A},${B}`, `${B}\\${A}`, '*', '', '1.2.*', `${A}-${B}`);
const encoded = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.boolean()).map(([value, encode]) => (encode ? value.replace(/[.,\\*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`) : value));
const studyKey = fc.constantFrom('StudyInstanceUID', '0020000D', 'studyinstanceuid', '0020,000D', '0020000d', 'Study%49nstanceUID', 'studyUID');
const queryPair = fc.oneof(
  fc.tuple(studyKey, encoded(studyUid)),
  fc.tuple(fc.constantFrom('objectUID', 'objectuid'), fc.constantFrom(SOP_A, SOP_B)),
  fc.tuple(fc.constantFrom('PatientID', 'limit', 'includefield', 'token', 'fuzzymatching', 'requestType'), fc.constantFrom('1', 'x', 'true', 'false', 'WADO')),
);
const query = fc.array(queryPair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
const segment = fc.oneof(
  fc.constantFrom('dicom-web', 'studies', 'series', 'instances', 'wado', 'metadata', 'frames', '1', 'patient', 'archive', 'tools', 'find', 'patients'),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', '', `${A}%2F..%2F${B}`),
  encoded(studyUid),
  fc.constantFrom(ID_A, ID_B, SOP_A, SOP_B, SERIES_A, SERIES_B),
);
const tail = fc.array(segment, { maxLength: 6 }).map((segments) => segments.map((s) => `/${s}`).join(''));
const base = fc.constantFrom('', `/dicom-web/studies/${A}`, `/dicom-web/studies/${B}`, '/dicom-web/studies', '/dicom-web/series', '/wado', `/studies/${ID_A}`, `/series/${ID_B}`, `/instances/${ID_B}`);
export const scopeUri = fc.tuple(base, tail, query).map(([b, t, q]) => `${b}${t}${q}` || '/');
export const scopeMethod = fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE');
