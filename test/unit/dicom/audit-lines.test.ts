import { isQueryEcho, OrthancLogReader, streamLogEvent } from '../../../scripts/stack/dicom-audit-lines';
import { addModality, EMPTY_REGISTRY, pinCertificate } from '../../../setup/dicom/modality';

const registry = pinCertificate(
  addModality(EMPTY_REGISTRY, { name: 'ct', aet: 'CT1', host: '10.0.0.5', port: 104, store: true, find: false, get: false }),
  'ct', { fingerprint: 'ab'.repeat(20), subject: 'O=pacsgate modality ct, CN=CT1', expires: '2030-01-01T00:00:00.000Z' },
);
const reader = () => new OrthancLogReader(() => registry.modalities);

// Lines as Nginx 1.22 and Orthanc 1.10.1 print them.
const stream = (fields: Record<string, string>) => JSON.stringify({ time: '2026-12-02T08:00:00+00:00', ip: '10.0.0.9', verify: 'NONE', subject: '', fingerprint: '', loopback: '', status: '502', protocol: 'TLSv1.3', ...fields });

it.each([
  ['no certificate', {}, 'no client certificate'],
  ['no handshake', { protocol: '', status: '500' }, 'no TLS handshake'],
  ['an untrusted certificate', { verify: 'FAILED:unable to verify the first certificate', subject: 'CN=x' }, 'certificate not trusted: unable to verify the first certificate'],
  ['a trusted certificate nobody pinned for that address', { verify: 'SUCCESS', subject: 'CN=CT1' }, 'certificate not pinned for a modality connecting from this address'],
])('audits a connection Nginx refused for %s', (_, fields, reason) => {
  expect(streamLogEvent(stream(fields))).toEqual(expect.objectContaining({ event: 'dicom.association', outcome: 'refused', stage: 'tls', ip: '10.0.0.9', reason }));
});

it('leaves a forwarded connection to Orthanc\'s lines, and ignores what is not a log line', () => {
  expect(streamLogEvent(stream({ verify: 'SUCCESS', loopback: '127.0.1.1', status: '200' }))).toBeUndefined();
  expect(streamLogEvent('not json')).toBeUndefined();
});

it('audits an accepted association with the modality, the address Nginx let it in from and its certificate', () => {
  expect(reader().event('I1202 08:31:16.066494 CommandDispatcher.cpp:664] (dicom) Association Acknowledged (Max Send PDV: 16372) to AET CT1 on IP 127.0.1.1')).toEqual({
    event: 'dicom.association', outcome: 'accepted', stage: 'dicom', aet: 'CT1', ip: '10.0.0.5', modality: 'ct', certificate: 'O=pacsgate modality ct, CN=CT1',
  });
});

it('audits a rejected association with the reason Orthanc gave on the line before', () => {
  const orthanc = reader();
  expect(orthanc.event('W1202 08:22:01.310396 OrthancConfiguration.cpp:770] Modality "NOPE" is not listed in the "DicomModalities" configuration option')).toBeUndefined();
  expect(orthanc.event('W1202 08:22:01.310411 CommandDispatcher.cpp:617] Rejected association for remote AET NOPE on IP 127.0.1.1')).toEqual(
    expect.objectContaining({ outcome: 'refused', aet: 'NOPE', modality: 'ct', reason: 'AE title not registered' }));
});

it.each([
  ['W1202 09:07:22.439787 LuaContext.cpp:94] Lua says: pacsgate-dicom-operation Store CT1 127.0.1.1', 'Store'],
  ['W1202 09:07:22.715780 LuaContext.cpp:94] Lua says: pacsgate-dicom-operation Find CT1 127.0.1.1', 'Find'],
  ['I1202 08:43:14.955656 OrthancGetRequestHandler.cpp:489] (dicom) C-GET-SCU request received from AET "CT1"', 'Get'],
])('audits an accepted %#: the operation, with the modality it came from', (line, operation) => {
  expect(reader().event(line)).toEqual({
    event: 'dicom.association', outcome: 'accepted', stage: 'dicom', aet: 'CT1', ip: '10.0.0.5', modality: 'ct', certificate: 'O=pacsgate modality ct, CN=CT1', operation,
  });
});

it('audits a refused DICOM command by its name', () => {
  expect(reader().event('W1202 08:22:07.493919 CommandDispatcher.cpp:828] Rejected Store request from remote DICOM modality with AET "CT1" and hostname "127.0.1.1"')).toEqual(
    expect.objectContaining({ outcome: 'refused', aet: 'CT1', modality: 'ct', operation: 'Store' }));
});

it('keeps the query keys Orthanc echoes out of the stack\'s output', () => {
  expect(isQueryEcho('I1202 08:22:01.071337 OrthancFindRequestHandler.cpp:659] (dicom)   (0010,0020)  PatientID = P1')).toBe(true);
  expect(isQueryEcho('I1202 08:22:01.071193 OrthancFindRequestHandler.cpp:653] (dicom) DICOM C-Find request at level: Study')).toBe(false);
});
