import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../setup/repo-root';

const SCRIPT = join(REPO_ROOT, 'scripts', 'install-system-deps.sh');
let stubs: string;

/** Stand-ins for dpkg-query, id and apt-get, so the script's decisions are tested without touching the system. */
function stub(name: string, body: string): void {
  writeFileSync(join(stubs, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(stubs, name), 0o755);
}

/** The PATH holds the stubs and grep only, so a kubectl is there only when `kubectl` says so. */
function run(args: string[], { missing, uid, kubectl = false }: { missing: string[]; uid: number; kubectl?: boolean }) {
  stub('dpkg-query', `for p in "$@"; do :; done; case " ${missing.join(' ')} " in *" $p "*) exit 1;; esac; printf 'install ok installed'`);
  stub('id', `echo ${uid}`);
  stub('apt-get', `echo "apt-get $*" >> ${join(stubs, 'calls')}`);
  stub('systemctl', 'exit 1');
  symlinkSync(execFileSync('sh', ['-c', 'command -v grep'], { encoding: 'utf8' }).trim(), join(stubs, 'grep'));
  if (kubectl) stub('kubectl', 'exit 0');
  writeFileSync(join(stubs, 'calls'), '');
  const result = spawnSync('/bin/sh', [SCRIPT, ...args], { env: { PATH: stubs }, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr, calls: readFileSync(join(stubs, 'calls'), 'utf8').trim().split('\n').filter(Boolean) };
}

beforeEach(() => {
  stubs = mkdtempSync(join(tmpdir(), 'pacsgate-deps-'));
});

afterEach(() => rmSync(stubs, { recursive: true, force: true }));

it('does nothing when every package is there, even without root', () => {
  expect(run(['--for-tests'], { missing: [], uid: 1000 })).toEqual({ status: 0, output: '', calls: [] });
});

it('names what is missing and how to install it when not root', () => {
  const result = run([], { missing: ['orthanc-dicomweb'], uid: 1000 });
  expect(result.status).toBe(1);
  expect(result.output).toContain('orthanc-dicomweb');
  expect(result.output).toContain('sudo sh scripts/install-system-deps.sh');
  expect(result.calls).toEqual([]);
});

it('updates the package lists once and installs only what is missing', () => {
  const result = run(['--for-tests'], { missing: ['nginx', 'chromium'], uid: 0 });
  expect(result.status).toBe(0);
  expect(result.calls).toEqual(['apt-get update -q', 'apt-get install -y -q nginx chromium']);
});

it('installs PostgreSQL 15, which the store tests start, with --for-tests', () => {
  expect(run(['--for-tests'], { missing: ['postgresql'], uid: 0 }).calls).toEqual(['apt-get update -q', 'apt-get install -y -q postgresql']);
});

it('installs the Kubernetes manifests’ kubectl and Orthanc’s PostgreSQL plugin with --for-tests', () => {
  expect(run(['--for-tests'], { missing: ['orthanc-postgresql', 'kubernetes-client'], uid: 0 }).calls).toEqual(['apt-get update -q', 'apt-get install -y -q orthanc-postgresql kubernetes-client']);
});

it('takes a kubectl already on the PATH from another package for kubernetes-client, which would conflict with it', () => {
  expect(run(['--for-tests'], { missing: ['kubernetes-client'], uid: 0, kubectl: true })).toEqual({ status: 0, output: '', calls: [] });
});

it('installs the test packages only with --for-tests', () => {
  expect(run([], { missing: ['chromium'], uid: 0 }).calls).toEqual([]);
});

it('installs the benchmark’s packages, the browser of its OHIF study load included, with --for-bench', () => {
  expect(run(['--for-bench'], { missing: ['wrk', 'chromium', 'iproute2'], uid: 0 }).calls).toEqual(['apt-get update -q', 'apt-get install -y -q wrk chromium']);
});

it('rejects unknown arguments with its usage line', () => {
  const result = run(['--everything'], { missing: [], uid: 0 });
  expect(result.status).toBe(2);
  expect(result.output).toMatch(/^usage: /);
});
