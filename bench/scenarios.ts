import type { Scenario } from './scenario';
import type { ScopedTarget } from './scoped-target';
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

const FRAMES_ACCEPT = { Accept: 'multipart/related; type="application/octet-stream"' };

/**
 * The same requests, each asking /verify (auth cache off), with a full read token and with a share
 * link scoped to their study (its one cached Orthanc lookup, then the scope check): WADO-RS frames
 * and Orthanc REST by id.
 */
function scopedScenarios(gateUrl: string, tokens: { read: string; share: string }, target: ScopedTarget): Scenario[] {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const both = (name: string, what: string, path: string, headers: Record<string, string>): Scenario[] => [
    { name: `gate-${name}-full`, description: `gate, auth cache 0, ${what}, full read token`, url: `${gateUrl}${path}`, headers: { ...bearer(tokens.read), ...headers }, expect: 'allowed' },
    { name: `gate-${name}-scoped`, description: `gate, auth cache 0, ${what}, share link of the study`, url: `${gateUrl}${path}`, headers: { ...bearer(tokens.share), ...headers }, expect: 'allowed' },
  ];
  return [...both('frames', 'WADO-RS frame', target.framesPath, FRAMES_ACCEPT), ...both('rest', 'GET /series/{id}', target.restPath, {})];
}

/** Every scenario of a run, in the order of the first round. */
export function benchScenarios(endpoints: BenchEndpoints, tokens: { read: string; invalid: string; share: string }, target: ScopedTarget): Scenario[] {
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
    ...scopedScenarios(endpoints.uncachedGateUrl, tokens, target),
  ];
}

/** `--only`: the scenarios whose name starts with one of `prefixes` (all of them when none is given). */
export function selectScenarios(scenarios: Scenario[], prefixes: readonly string[]): Scenario[] {
  if (prefixes.length === 0) return scenarios;
  const selected = scenarios.filter(({ name }) => prefixes.some((prefix) => name.startsWith(prefix)));
  if (selected.length === 0) throw new Error(`--only ${prefixes.join(',')} names no scenario; there are: ${scenarios.map(({ name }) => name).join(', ')}`);
  return selected;
}
