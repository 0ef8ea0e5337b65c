import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackUrls } from '../../scripts/stack/start-stack';
import { makeSmallDicom, TestPatient } from '../support/dicom';
import { ClientCertificate, foreignCertificate, issuedFiles, modalities, runClient, tlsOptions, withTlsTunnel } from '../support/dicom-tls';
import { studiesOf } from '../support/dicomweb';
import { withTestNamespace } from '../support/netns';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

// Real Orthanc and Nginx; dcmtk's echoscu, storescu, findscu and getscu as the modalities, openssl for old TLS.

let gate: TestStack;
let workDir: string;
let readToken: string;
let ct: ClientCertificate;
let ws: ClientCertificate;

const patient = (id: string): TestPatient => ({ name: `Tls^${id}`, id: `E2E-TLS-${id}` });
const dicomFor = (id: string) => makeSmallDicom(workDir, patient(id));
const tlsPort = () => String(gate.settings.dicomTlsPort);
const echo = (aet: string, tls: string[], host = '127.0.0.1') => runClient('echoscu', ['-aet', aet, '-aec', 'PACSGATE', ...tls, host, tlsPort()]);
// -xy: propose the JPEG transfer syntax img2dcm writes.
const store = (aet: string, tls: string[], file: string) => runClient('storescu', ['-xy', '-aet', aet, '-aec', 'PACSGATE', ...tls, '127.0.0.1', tlsPort(), file]);
const storedStudies = (id: string) => studiesOf(gate.client, patient(id).id, readToken);

/** A C-STORE that must not get through: the client fails and Orthanc holds nothing of that patient. */
async function expectStoreRefused(aet: string, tls: string[], id: string): Promise<string> {
  const run = await store(aet, tls, dicomFor(id));
  expect(run.code).not.toBe(0);
  expect(await storedStudies(id)).toEqual([]);
  return run.output;
}

const TLS_REFUSED = /Association Request Failed: 0006:0317 Peer aborted Association \(or never connected\)/;
const AET_REFUSED = /Association Rejected:[\s\S]*Calling AE Title Not Recognized/;

function dicomAuditLines(): Record<string, string>[] {
  return readFileSync(join(gate.settings.configDir, 'audit.log'), 'utf8').trim().split('\n')
    .map((line) => JSON.parse(line) as Record<string, string>)
    .filter((line) => line.event === 'dicom.association');
}

/** The stack writes the audit line when Nginx and Orthanc have logged the association: poll briefly. */
async function auditLineLike(expected: Record<string, string>): Promise<void> {
  const matches = () => dicomAuditLines().some((line) => Object.entries(expected).every(([key, value]) => line[key] === value));
  for (let attempt = 0; attempt < 40 && !matches(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(dicomAuditLines()).toContainEqual(expect.objectContaining(expected));
}

const isListening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port }, () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-dicom-tls-'));
  gate = await startTestStack();
  readToken = await issueAccessToken(gate.client, { username: 'e2e-dicom-tls', canEdit: false });
  // Generous: on a machine shared with other suites, starting the stack once took more than a minute.
}, 120000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

it('keeps the DICOM TLS port and Orthanc\'s DICOM port closed while no modality is registered', async () => {
  expect(await isListening(gate.settings.dicomTlsPort)).toBe(false);
  expect(await isListening(gate.settings.dicomPort)).toBe(false);
  expect(stackUrls(gate.settings).dicomTls).toBeNull();
});

describe('with registered modalities', () => {
  beforeAll(async () => {
    const add = async (args: string[]) => expect((await modalities(gate.settings, ['add', ...args])).code).toBe(0);
    await add(['ct', '--aet', 'PG_CT', '--host', '127.0.0.1', '--port', '104', '--store', '--find', '--issue-cert']);
    await add(['ws', '--aet', 'PG_WS', '--host', '127.0.0.1', '--port', '104', '--find', '--get', '--issue-cert']);
    // Registered for an address these tests never connect from.
    await add(['remote', '--aet', 'PG_REMOTE', '--host', '198.51.100.7', '--port', '104', '--store', '--issue-cert']);
    await add(['old', '--aet', 'PG_OLD', '--host', '127.0.0.1', '--port', '104', '--store', '--issue-cert']);
    ct = issuedFiles(gate.settings, 'ct');
    ws = issuedFiles(gate.settings, 'ws');
  }, 120000);

  it('opens the TLS port, and the stack names it', async () => {
    expect(await isListening(gate.settings.dicomTlsPort)).toBe(true);
    expect(stackUrls(gate.settings).dicomTls).toBe(`localhost:${gate.settings.dicomTlsPort}`);
  });

  it('lets a registered modality with its certificate C-ECHO, C-STORE and C-FIND; the study is then visible through the gate', async () => {
    expect((await echo('PG_CT', tlsOptions(ct))).code).toBe(0);
    expect((await store('PG_CT', tlsOptions(ct), dicomFor('STORED'))).code).toBe(0);
    expect(await storedStudies('STORED')).toHaveLength(1);
    const find = await runClient('findscu', ['-v', '-S', '-aet', 'PG_CT', '-aec', 'PACSGATE', ...tlsOptions(ct), '-k', 'QueryRetrieveLevel=STUDY', '-k', `PatientID=${patient('STORED').id}`, '-k', 'StudyInstanceUID', '127.0.0.1', tlsPort()]);
    expect(find.code).toBe(0);
    expect(find.output).toContain(patient('STORED').id);
    await auditLineLike({ outcome: 'accepted', aet: 'PG_CT', modality: 'ct', ip: '127.0.0.1', certificate: 'O=pacsgate modality ct, CN=PG_CT' });
    await auditLineLike({ outcome: 'accepted', modality: 'ct', operation: 'Store' });
    await auditLineLike({ outcome: 'accepted', modality: 'ct', operation: 'Find' });
  });

  it('lets a modality registered with --get retrieve the study by C-GET inside its TLS association', async () => {
    const into = join(workDir, 'retrieved');
    mkdirSync(into);
    const get = await withTlsTunnel(ws, gate.settings.dicomTlsPort, (port) =>
      runClient('getscu', ['-aet', 'PG_WS', '-aec', 'PACSGATE', '-od', into, '-k', 'QueryRetrieveLevel=PATIENT', '-k', `PatientID=${patient('STORED').id}`, '127.0.0.1', String(port)]));
    expect(get.code).toBe(0);
    expect(readdirSync(into)).toHaveLength(1);
    await auditLineLike({ outcome: 'accepted', modality: 'ws', aet: 'PG_WS', operation: 'Get' });
  });

  it('refuses a client without a certificate', async () => {
    expect((await echo('PG_CT', ['+tla', '+cf', ct.ca])).output).toMatch(TLS_REFUSED);
    expect(await expectStoreRefused('PG_CT', ['+tla', '+cf', ct.ca], 'NO-CERT')).toMatch(TLS_REFUSED);
    await auditLineLike({ outcome: 'refused', stage: 'tls', reason: 'no client certificate' });
  });

  it('refuses a certificate from another CA', async () => {
    const foreign = foreignCertificate(workDir);
    expect(await expectStoreRefused('PG_CT', ['+tls', foreign.key, foreign.cert, '+cf', ct.ca], 'FOREIGN')).toMatch(TLS_REFUSED);
    await auditLineLike({ outcome: 'refused', stage: 'tls', certificate: 'CN=PG_CT', reason: 'certificate not trusted: unable to verify the first certificate' });
  });

  it('refuses a revoked certificate from the moment revoke-cert returns', async () => {
    const old = issuedFiles(gate.settings, 'old');
    expect((await echo('PG_OLD', tlsOptions(old))).code).toBe(0);
    expect((await modalities(gate.settings, ['revoke-cert', 'old'])).code).toBe(0);
    expect(await expectStoreRefused('PG_OLD', tlsOptions(old), 'REVOKED')).toMatch(TLS_REFUSED);
    await auditLineLike({ outcome: 'refused', stage: 'tls', reason: 'certificate not pinned for a modality connecting from this address' });
  });

  it('refuses a registered AE title from an address it is not registered for', async () => {
    const remote = issuedFiles(gate.settings, 'remote');
    expect(await expectStoreRefused('PG_REMOTE', tlsOptions(remote), 'WRONG-HOST')).toMatch(TLS_REFUSED);
  });

  it('refuses a registered AE title presenting another modality\'s certificate', async () => {
    expect(await expectStoreRefused('PG_CT', tlsOptions(ws), 'WRONG-CERT')).toMatch(AET_REFUSED);
    await auditLineLike({ outcome: 'refused', stage: 'dicom', aet: 'PG_CT', modality: 'ws' });
  });

  it('refuses an AE title nobody registered', async () => {
    expect(await expectStoreRefused('PG_NOBODY', tlsOptions(ct), 'NO-AET')).toMatch(AET_REFUSED);
    await auditLineLike({ outcome: 'refused', stage: 'dicom', aet: 'PG_NOBODY', reason: 'AE title not registered' });
  });

  it('refuses a C-STORE from a modality registered without --store', async () => {
    await expectStoreRefused('PG_WS', tlsOptions(ws), 'NOT-ALLOWED');
    await auditLineLike({ outcome: 'refused', aet: 'PG_WS', modality: 'ws', operation: 'Store' });
  });

  it('refuses plain DICOM on the TLS port', async () => {
    expect(await expectStoreRefused('PG_CT', [], 'PLAIN')).toMatch(TLS_REFUSED);
  });

  it.each([['-tls1', 'TLS 1.0'], ['-tls1_1', 'TLS 1.1']])('refuses %s (%s)', async (version) => {
    const run = await runClient('openssl', ['s_client', '-connect', `127.0.0.1:${tlsPort()}`, version, '-cipher', 'DEFAULT@SECLEVEL=0', '-cert', ct.cert, '-key', ct.key, '-CAfile', ct.ca]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/alert protocol version/);
  });

  it('refuses every association from outside loopback on Orthanc\'s plain DICOM port, and a valid certificate from an unregistered address', async () => {
    await withTestNamespace(async (namespace) => {
      const file = dicomFor('FROM-OUTSIDE');
      const plain = await namespace.run('storescu', ['-xy', '-aet', 'PG_CT', '-aec', 'PACSGATE', namespace.hostAddress, String(gate.settings.dicomPort), file]);
      expect(plain.code).not.toBe(0);
      expect(plain.output).toMatch(AET_REFUSED);
      const tls = await namespace.run('storescu', ['-xy', '-aet', 'PG_CT', '-aec', 'PACSGATE', ...tlsOptions(ct), namespace.hostAddress, tlsPort(), file]);
      expect(tls.code).not.toBe(0);
      expect(tls.output).toMatch(TLS_REFUSED);
    });
    expect(await storedStudies('FROM-OUTSIDE')).toEqual([]);
  });

  it('refuses a modality once it is removed', async () => {
    expect((await modalities(gate.settings, ['remove', 'ct'])).code).toBe(0);
    expect(await expectStoreRefused('PG_CT', tlsOptions(ct), 'REMOVED')).toMatch(TLS_REFUSED);
  });
});
