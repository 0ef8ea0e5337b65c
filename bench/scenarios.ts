import type { Scenario } from './scenario';
import { forgedTokensScript } from './wrk/forged-tokens-script';

export interface BenchEndpoints {
  /** Nginx → Orthanc with the gate's template minus `auth_request`. */
  baselineUrl: string;
  /** Nginx `auth_request` → /verify → Orthanc, as `npm run stack` runs it: the default auth cache (1 s). */
  gateUrl: string;
  /** The same with PACSGATE_AUTH_CACHE_SECONDS=0: every request asks /verify. */
  uncachedGateUrl: string;
  /** The gate's config with `auth_request` to a do-nothing Node 204 (bench/bare-verify-server.ts). */
  ceilingUrl: string;
  /** The auth server itself, no Nginx. */
  authServerUrl: string;
}

export const SYSTEM_PATH = '/system';
export const QIDO_PATH = '/dicom-web/studies?limit=10';

/** Every scenario of a run, in the order of the first round. */
export function benchScenarios(endpoints: BenchEndpoints, tokens: { read: string; invalid: string }): Scenario[] {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  return [
    { name: 'baseline-system', description: 'Nginx → Orthanc, no auth, GET /system', url: `${endpoints.baselineUrl}${SYSTEM_PATH}`, headers: {}, expect: 'allowed' },
    { name: 'gate-system', description: 'gate as set up (auth cache 1 s), GET /system', url: `${endpoints.gateUrl}${SYSTEM_PATH}`, headers: bearer(tokens.read), expect: 'allowed' },
    { name: 'gate-nocache-system', description: 'gate, auth cache 0, GET /system', url: `${endpoints.uncachedGateUrl}${SYSTEM_PATH}`, headers: bearer(tokens.read), expect: 'allowed' },
    {
      name: 'ceiling-system',
      description: 'auth_request to a do-nothing Node 204, GET /system',
      url: `${endpoints.ceilingUrl}${SYSTEM_PATH}`,
      headers: bearer(tokens.read),
      expect: 'allowed',
    },
    { name: 'baseline-qido', description: 'Nginx → Orthanc, no auth, QIDO studies', url: `${endpoints.baselineUrl}${QIDO_PATH}`, headers: {}, expect: 'allowed' },
    { name: 'gate-qido', description: 'gate as set up (auth cache 1 s), QIDO studies', url: `${endpoints.gateUrl}${QIDO_PATH}`, headers: bearer(tokens.read), expect: 'allowed' },
    { name: 'gate-nocache-qido', description: 'gate, auth cache 0, QIDO studies', url: `${endpoints.uncachedGateUrl}${QIDO_PATH}`, headers: bearer(tokens.read), expect: 'allowed' },
    {
      name: 'gate-invalid-token',
      description: 'gate, one bad-signature token, repeated',
      url: `${endpoints.gateUrl}${SYSTEM_PATH}`,
      headers: bearer(tokens.invalid),
      expect: 'refused',
      countOrthancRequests: true,
    },
    {
      name: 'gate-forged-tokens',
      description: 'gate, a different bad signature each request',
      url: `${endpoints.gateUrl}${SYSTEM_PATH}`,
      headers: bearer(tokens.invalid),
      script: forgedTokensScript(tokens.read),
      expect: 'refused',
      countOrthancRequests: true,
    },
    {
      name: 'gate-invalid-query-token',
      description: 'gate, one bad-signature token in ?token=, repeated',
      url: `${endpoints.gateUrl}${SYSTEM_PATH}?token=${tokens.invalid}`,
      headers: {},
      expect: 'refused',
      countOrthancRequests: true,
    },
    {
      name: 'gate-forged-query-tokens',
      description: 'gate, a different bad signature in ?token= each request',
      url: `${endpoints.gateUrl}${SYSTEM_PATH}`,
      headers: {},
      script: forgedTokensScript(tokens.read, 'query'),
      expect: 'refused',
      countOrthancRequests: true,
    },
    {
      name: 'verify-direct',
      description: 'auth server /verify, no Nginx',
      url: `${endpoints.authServerUrl}/verify`,
      headers: { ...bearer(tokens.read), 'X-Original-URI': SYSTEM_PATH, 'X-Original-Method': 'GET' },
      expect: 'allowed',
    },
  ];
}
