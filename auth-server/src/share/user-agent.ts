/**
 * The family of a User-Agent for the audit line of an opened link: enough to tell "a phone's Safari"
 * from "a script", without keeping the whole fingerprint-like string. Order matters: Edge and Opera
 * also say Chrome, and Chrome also says Safari.
 */
const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\b(Chrome|Chromium|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^Wget\//, 'Wget'],
  [/^python-|^Python-urllib/, 'Python'],
  [/^node|^undici/, 'Node.js'],
];

export function userAgentFamily(userAgent: string | undefined): string {
  if (!userAgent) return 'none';
  return FAMILIES.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'other';
}
