import bcrypt from 'bcrypt';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateSettings } from '../../setup/gate-settings';
import { configLayout } from '../../auth-server/src/config-files';
import { noQuestionsPrompter, Prompter } from '../../setup/prompt';
import { runSetup, SetupOptions } from '../../setup/run-setup';

let configDir: string;
let settings: GateSettings;
const PASSWORD = 'Unit-Test-Passw0rd';

const setup = (options: Partial<SetupOptions> = {}) =>
  runSetup({ settings, yes: true, force: false, prompter: noQuestionsPrompter, log: () => undefined, ...options });

const adminHash = () => readFileSync(configLayout(configDir).adminPasswordHash, 'utf8').trim();

beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'pacsgate-setup-'));
  settings = { configDir, publicUrl: 'https://localhost:8443', allowedOrigins: [], httpsPort: 8443, httpPort: 8080, orthancHttpPort: 8042, dicomPort: 4242, dicomTlsPort: 2762, authPort: 3000, bcryptCost: 4, authCacheSeconds: 0,
    authServers: ['127.0.0.1:3000'], orthancServers: ['127.0.0.1:8042'] };
});

afterEach(() => rmSync(configDir, { recursive: true, force: true }));

it('generates an admin password under --yes, returns it once and stores only its bcrypt hash', async () => {
  const { generatedAdminPassword } = await setup();
  expect(generatedAdminPassword).toBeDefined();
  expect(await bcrypt.compare(generatedAdminPassword!, adminHash())).toBe(true);
  expect(readFileSync(configLayout(configDir).adminPasswordHash, 'utf8')).not.toContain(generatedAdminPassword);
});

it('writes every file 0600 and every folder 0700 but the public web root, and lets Nginx enter the config dir only', async () => {
  await setup({ adminPassword: PASSWORD });
  const { webRoot } = configLayout(configDir);
  const listing = execFileSync('find', [configDir, '-mindepth', '1', '-printf', '%m %y %p\n'], { encoding: 'utf8' }).trim().split('\n');
  const [outside, web] = [listing.filter((line) => !line.includes(webRoot)), listing.filter((line) => line.includes(webRoot))];
  for (const line of outside) expect(line).toMatch(/^(600 f|700 d) /);
  // The viewer's files (no secrets): what Nginx's workers read as another user.
  expect(web.length).toBeGreaterThan(100);
  for (const line of web) expect(line).toMatch(/^(644 f|755 d) /);
  expect(statSync(configDir).mode & 0o777).toBe(0o711);
});

it('keeps the secrets of an earlier setup under --yes', async () => {
  await setup({ adminPassword: PASSWORD });
  const layout = configLayout(configDir);
  const before = [adminHash(), readFileSync(layout.tlsKey, 'utf8'), readFileSync(layout.orthancNginxPassword, 'utf8')];
  expect((await setup()).generatedAdminPassword).toBeUndefined();
  expect([adminHash(), readFileSync(layout.tlsKey, 'utf8'), readFileSync(layout.orthancNginxPassword, 'utf8')]).toEqual(before);
});

it('refuses to ignore an explicitly given admin password when one is set, unless --force', async () => {
  await setup({ adminPassword: PASSWORD });
  await expect(setup({ adminPassword: 'Another-Passw0rd-2' })).rejects.toThrow(/--force/);
  await setup({ adminPassword: 'Another-Passw0rd-2', force: true });
  expect(await bcrypt.compare('Another-Passw0rd-2', adminHash())).toBe(true);
});

it('asks before replacing, and keeps the secret when the answer is no', async () => {
  await setup({ adminPassword: PASSWORD });
  const questions: string[] = [];
  const sayNo: Prompter = { askHidden: () => Promise.reject(new Error('not asked')), confirm: (question) => (questions.push(question), Promise.resolve(false)), close: () => undefined };
  await setup({ yes: false, prompter: sayNo });
  expect(questions).toEqual([expect.stringMatching(/admin password/i), expect.stringMatching(/TLS certificate/)]);
  expect(await bcrypt.compare(PASSWORD, adminHash())).toBe(true);
});

it('links a given certificate and key, and refuses a key that does not match', async () => {
  const own = mkdtempSync(join(tmpdir(), 'pacsgate-cert-'));
  const makePair = (name: string) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=pacs.example.org',
      '-keyout', join(own, `${name}.key`), '-out', join(own, `${name}.crt`)], { stdio: 'ignore' });
  };
  makePair('a');
  makePair('b');
  try {
    await expect(setup({ adminPassword: PASSWORD, cert: join(own, 'a.crt'), key: join(own, 'b.key') })).rejects.toThrow(/not the private key/);
    await setup({ adminPassword: PASSWORD, force: true, cert: join(own, 'a.crt'), key: join(own, 'a.key') });
    const layout = configLayout(configDir);
    expect(lstatSync(layout.tlsCert).isSymbolicLink()).toBe(true);
    expect(readlinkSync(layout.tlsKey)).toBe(join(own, 'a.key'));
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});

it('makes a self-signed certificate for the public host', async () => {
  settings.publicUrl = 'https://pacs.example.org';
  await setup({ adminPassword: PASSWORD });
  const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', configLayout(configDir).tlsCert], { encoding: 'utf8' });
  expect(text).toContain('DNS:pacs.example.org');
  expect(statSync(configLayout(configDir).tlsKey).mode & 0o777).toBe(0o600);
});
