import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modalitiesCommand } from '../../../auth-server/src/cli/modalities-command';
import { readRegistry } from '../../../setup/dicom/registry-files';
import { configLayout } from '../../../auth-server/src/config-files';
import { noQuestionsPrompter } from '../../../setup/prompt';
import { runSetup } from '../../../setup/run-setup';

let configDir: string;

// Ports nothing listens on: no stack runs, so the command only writes the files.
const env = () => ({ PACSGATE_CONFIG_DIR: configDir, PACSGATE_ORTHANC_HTTP_PORT: '1', PACSGATE_DICOM_TLS_PORT: '12762', SUDO_USER: 'operator' });

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await modalitiesCommand(args, env(), { out: (line) => void out.push(line), error: (line) => void err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'pacsgate-modalities-'));
  await runSetup({
    settings: { configDir, publicUrl: 'https://localhost:8443', allowedOrigins: [], httpsPort: 8443, httpPort: 8080, orthancHttpPort: 1, dicomPort: 4242, dicomTlsPort: 12762, authPort: 3000, bcryptCost: 4, authCacheSeconds: 0,
      authServers: ['127.0.0.1:3000'], orthancServers: ['127.0.0.1:1'] },
    yes: true, force: false, adminPassword: 'Unit-Test-Passw0rd', prompter: noQuestionsPrompter, log: () => undefined,
  });
});

afterAll(() => rmSync(configDir, { recursive: true, force: true }));

it('registers a modality and issues its certificate: paths printed, key 0600 and never on the output', async () => {
  const added = await run('add', 'ct', '--aet', 'CT1', '--host', '10.0.0.5', '--port', '104', '--store', '--issue-cert');
  expect(added.code).toBe(0);
  const key = join(configLayout(configDir).issuedModalityCerts, 'ct', 'key.pem');
  expect(added.out).toContain(key);
  expect(added.out).toContain('No stack runs on this config dir');
  expect(statSync(key).mode & 0o777).toBe(0o600);
  expect(added.out).not.toContain(readFileSync(key, 'utf8').split('\n')[1]);
  expect(readRegistry(configLayout(configDir)).modalities[0]).toEqual(expect.objectContaining({ name: 'ct', aet: 'CT1', store: true, find: false, certificate: expect.objectContaining({ subject: 'O=pacsgate modality ct, CN=CT1' }) as unknown }));
  const listed = await run('list');
  expect(listed.out).toMatch(/ct\s+CT1\s+10\.0\.0\.5\s+104\s+echo,store\s+O=pacsgate modality ct, CN=CT1/);
  expect(listed.out).toContain('DICOM TLS port: 12762');
});

it('audits each change with the operator who made it', () => {
  const lines = readFileSync(join(configDir, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toContainEqual(expect.objectContaining({ event: 'admin.action', action: 'add-modality', modality: 'ct', via: 'cli', osUser: 'operator' }));
  expect(lines).toContainEqual(expect.objectContaining({ event: 'admin.action', action: 'issue-modality-cert', modality: 'ct' }));
});

it.each([
  [['add', 'mv', '--aet', 'MV', '--host', '10.0.0.7', '--port', '104', '--move'], /C-MOVE is not offered/],
  [['add', 'dns', '--aet', 'DNS', '--host', 'ct.example.org', '--port', '104'], /IPv4 address/],
  [['add', 'ct2', '--aet', 'CT1', '--host', '10.0.0.8', '--port', '104'], /CT1 is already registered for ct/],
  [['add', 'pinned', '--aet', 'PIN', '--host', '10.0.0.9', '--port', '104', '--cert', '/nonexistent.pem'], /cannot read \/nonexistent.pem/],
  [['remove', 'nobody'], /there is no modality nobody/],
])('refuses %j with a clear message and changes nothing', async (args, message) => {
  const before = readFileSync(configLayout(configDir).modalityRegistry, 'utf8');
  const result = await run(...args);
  expect(result.code).toBe(1);
  expect(result.err).toMatch(message);
  expect(readFileSync(configLayout(configDir).modalityRegistry, 'utf8')).toBe(before);
});

it('pins a certificate given with --cert only when pacsgate\'s CA signed it', async () => {
  const layout = configLayout(configDir);
  expect((await run('add', 'rogue', '--aet', 'ROGUE', '--host', '10.0.0.10', '--port', '104', '--cert', layout.dicomCaCert)).err).toMatch(/CA certificate, not a modality certificate/);
  expect((await run('add', 'copy', '--aet', 'COPY', '--host', '10.0.0.11', '--port', '104', '--cert', join(layout.issuedModalityCerts, 'ct', 'cert.pem'))).err).toMatch(/already pinned for another modality/);
});

it('revokes a certificate: the modality stays registered without one', async () => {
  expect((await run('revoke-cert', 'ct')).code).toBe(0);
  expect(readRegistry(configLayout(configDir)).modalities[0].certificate).toBeUndefined();
  expect((await run('revoke-cert', 'ct')).err).toMatch(/no certificate to revoke/);
});

it('answers a wrong command with its usage', async () => {
  for (const args of [[], ['list', 'extra'], ['remove'], ['frobnicate', 'x'], ['add', 'x', '--colour']]) {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain('usage: npm run modalities');
  }
});
