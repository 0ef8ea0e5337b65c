import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigLayout } from '../../auth-server/src/config-files';
import { replacePrivateFile } from '../private-files';

/** Ten years: the CA only signs, on this machine; the certificates it issues live 825 days. */
const CA_DAYS = 3650;
const LEAF_DAYS = 825;

function newPrivateKey(path: string): void {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  replacePrivateFile(path, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A certificate for the key at `keyPath`, signed by pacsgate's DICOM CA; random 128-bit serial. */
function signedCertificate(layout: ConfigLayout, keyPath: string, subject: string, extensions: string[]): string {
  return openssl([
    'req', '-new', '-x509', '-key', keyPath, '-CA', layout.dicomCaCert, '-CAkey', layout.dicomCaKey,
    '-days', String(LEAF_DAYS), '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature',
    ...extensions.flatMap((extension) => ['-addext', extension]),
  ]);
}

/** Characters a DN value may hold here: what a modality name or AE title can be. */
const safeDnValue = (value: string) => value.replace(/[^A-Za-z0-9_.\- ]/g, '');

/**
 * pacsgate's own small CA for DICOM TLS and the certificate Nginx presents on the DICOM TLS port,
 * made once; kept on later runs so issued modality certificates stay valid.
 */
export function ensureDicomCertificates(layout: ConfigLayout, hostname: string): boolean {
  if (existsSync(layout.dicomCaCert) && existsSync(layout.dicomServerCert)) return false;
  newPrivateKey(layout.dicomCaKey);
  replacePrivateFile(layout.dicomCaCert, openssl([
    'req', '-new', '-x509', '-key', layout.dicomCaKey, '-days', String(CA_DAYS),
    '-subj', `/O=pacsgate/CN=pacsgate DICOM CA ${randomBytes(4).toString('hex')}`,
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]));
  newPrivateKey(layout.dicomServerKey);
  const names = [...new Set(['localhost', '127.0.0.1', hostname])].map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`));
  replacePrivateFile(layout.dicomServerCert, signedCertificate(layout, layout.dicomServerKey, `/O=pacsgate/CN=${safeDnValue(hostname)}`, [
    'extendedKeyUsage=serverAuth', `subjectAltName=${names.join(',')}`,
  ]));
  return true;
}

export interface IssuedFiles {
  cert: string;
  key: string;
  ca: string;
}

/**
 * A client certificate and key for one modality (CN: its AE title), with pacsgate's CA beside them
 * so the modality can check the gate in turn. All three 0600; the key is never printed.
 */
export function issueModalityCertificate(layout: ConfigLayout, files: IssuedFiles, name: string, aet: string): string {
  newPrivateKey(files.key);
  const certificate = signedCertificate(layout, files.key, `/O=pacsgate modality ${safeDnValue(name)}/CN=${safeDnValue(aet)}`, ['extendedKeyUsage=clientAuth']);
  replacePrivateFile(files.cert, certificate);
  replacePrivateFile(files.ca, readFileSync(layout.dicomCaCert, 'utf8'));
  return certificate;
}

/** A certificate that cannot be pinned for a modality; the message says why. */
export class CertificateError extends Error {}

export interface CertificatePin {
  /** SHA-1 of the DER, lower-case hex: Nginx's $ssl_client_fingerprint. */
  fingerprint: string;
  subject: string;
  expires: string;
}

/** The pin of `pem`, once it is checked to be a client certificate signed by one of `caPems` and not expired. */
export function pinOf(pem: string, caPems: string[], now = new Date()): CertificatePin {
  const certificate = new X509Certificate(pem);
  if (certificate.ca) throw new CertificateError('that is a CA certificate, not a modality certificate');
  const issuer = caPems.map((ca) => new X509Certificate(ca)).find((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
  if (!issuer) throw new CertificateError('that certificate is not signed by pacsgate\'s DICOM CA nor by PACSGATE_DICOM_TLS_CA');
  if (new Date(certificate.validTo) <= now) throw new CertificateError(`that certificate expired on ${certificate.validTo}`);
  return {
    fingerprint: certificate.fingerprint.replace(/:/g, '').toLowerCase(),
    subject: certificate.subject.replace(/\n/g, ', '),
    expires: new Date(certificate.validTo).toISOString(),
  };
}

/** The PEM certificates in a bundle file. */
export function certificatesIn(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
}
