import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addModality, EMPTY_REGISTRY, pinCertificate } from '../../../setup/dicom/modality';
import { DICOM_AUDIT_LUA, renderDicomStream, renderOrthancModalities } from '../../../setup/dicom/render';
import { configLayout } from '../../../auth-server/src/config-files';
import { NGINX_STREAM_MODULE } from '../../../setup/nginx-config';

const settings = { tlsPort: 12762, orthancDicomPort: 14242 };
const pin = { fingerprint: 'ab'.repeat(20), subject: 'O=pacsgate modality ct, CN=CT1', expires: '2030-01-01T00:00:00.000Z' };

const registry = pinCertificate(
  addModality(addModality(EMPTY_REGISTRY, { name: 'ct', aet: 'CT1', host: '10.0.0.5', port: 104, store: true, find: false, get: false }),
    { name: 'ws', aet: 'WS1', host: '10.0.0.6', port: 11112, store: false, find: true, get: true }),
  'ct', pin,
);

it('gives Orthanc no DICOM server at all while no modality is registered', () => {
  expect(JSON.parse(renderOrthancModalities(EMPTY_REGISTRY))).toEqual({ DicomServerEnabled: false, DicomModalities: {}, LuaScripts: [] });
});

it('registers each modality in Orthanc at its loopback address, with its permissions and never C-MOVE', () => {
  const orthanc = JSON.parse(renderOrthancModalities(registry)) as { DicomServerEnabled: boolean; DicomModalities: Record<string, unknown>; LuaScripts: string[] };
  expect(orthanc.DicomServerEnabled).toBe(true);
  expect(orthanc.LuaScripts).toEqual([DICOM_AUDIT_LUA]);
  expect(orthanc.DicomModalities.ct).toEqual(expect.objectContaining({ AET: 'CT1', Host: '127.0.1.1', Port: 104, AllowEcho: true, AllowStore: true, AllowFind: false, AllowGet: false, AllowMove: false }));
  expect(orthanc.DicomModalities.ws).toEqual(expect.objectContaining({ AET: 'WS1', Host: '127.0.1.2', AllowStore: false, AllowFind: true, AllowGet: true, AllowMove: false }));
});

it('lets Nginx forward only a pinned certificate from its registered address, to that modality\'s loopback address', () => {
  const stream = renderDicomStream(registry, configLayout('/srv/pacsgate'), settings);
  expect(stream).toContain(`"${pin.fingerprint} 10.0.0.5" 127.0.1.1;`);
  // ws has no certificate yet: nothing maps to its address.
  expect(stream).not.toContain('127.0.1.2');
  expect(stream).toContain('ssl_verify_client on;');
  expect(stream).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
  expect(stream).toContain('default 127.0.0.1:14242;');
});

it('leaves the stream block out while no modality is registered', () => {
  expect(renderDicomStream(EMPTY_REGISTRY, configLayout('/srv/pacsgate'), settings)).not.toContain('listen');
});

it('renders a stream block Nginx accepts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-stream-'));
  try {
    const layout = configLayout(dir);
    mkdirSync(layout.nginxRuntime, { recursive: true });
    const stream = renderDicomStream(registry, layout, settings)
      .replace(layout.dicomServerCert, join(dir, 'cert.pem')).replace(layout.dicomServerKey, join(dir, 'key.pem')).replace(layout.dicomTrustedCas, join(dir, 'cert.pem'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=t', '-days', '1'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'stream.conf'), stream);
    writeFileSync(join(dir, 'nginx.conf'), `load_module ${NGINX_STREAM_MODULE};\npid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\ninclude ${dir}/stream.conf;\n`);
    execFileSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
