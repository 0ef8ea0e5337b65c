import jwt from 'jsonwebtoken';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochSeconds, systemClock } from '../../auth-server/src/clock';
import { loadConfig } from '../../auth-server/src/config';
import { openKeyring } from '../../auth-server/src/keys/rotation';
import { bearer } from '../support/gate-client';
import { familyOf, ScopedTokenSigner, stackSigner } from '../../bench/scoped-tokens';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';
import { StoredStudy, storeStudy } from '../support/two-studies';

// With Nginx's auth cache on, an allow given to a scoped token is reused only for the same URI:
// never for another study's URL, even when Nginx fails to recognize the token as scoped.
const CACHE_SECONDS = 2;

let gate: TestStack;
let workDir: string;
let signer: ScopedTokenSigner;
let a: StoredStudy;
let b: StoredStudy;
let family: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-scoped-cache-'));
  gate = await startTestStack({ authCacheSeconds: CACHE_SECONDS });
  const editToken = await issueAccessToken(gate.client, { username: 'cache-editor', canEdit: true });
  a = await storeStudy(gate.client, workDir, { name: 'Alpha^Cache', id: 'CACHE-ALPHA' }, editToken);
  b = await storeStudy(gate.client, workDir, { name: 'Beta^Cache', id: 'CACHE-BETA' }, editToken);
  signer = stackSigner(gate.settings.configDir, gate.settings.publicUrl);
  family = familyOf(await issueAccessToken(gate.client, { username: 'cache-family', canEdit: false }));
}, 120000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** A study-A pair of URLs: allowed, then one that differs only in naming B. */
const pairs = () => [
  [`/dicom-web/studies/${a.studyUid}/metadata`, `/dicom-web/studies/${b.studyUid}/metadata`],
  [`/studies/${a.orthanc.study}`, `/studies/${b.orthanc.study}`],
  [`/wado?requestType=WADO&objectUID=${a.sopUid}`, `/wado?requestType=WADO&objectUID=${b.sopUid}`],
  [`/dicom-web/studies?StudyInstanceUID=${a.studyUid}`, '/patients'],
];

async function expectAllowOfANeverReusedForB(headers: Record<string, string>): Promise<void> {
  for (const [ofA, ofB] of pairs()) {
    expect([ofA, (await gate.client.get(ofA, headers)).status]).toEqual([ofA, 200]);
    expect([ofA, (await gate.client.get(ofA, headers)).status]).toEqual([ofA, 200]);
    expect([ofB, (await gate.client.get(ofB, headers)).status]).toEqual([ofB, 403]);
  }
}

it('never reuses an allow for study A’s URL for study B’s, token in the header, the cookie or the query', async () => {
  const token = signer.share({ scope: [a.studyUid], family });
  await expectAllowOfANeverReusedForB(bearer(token));
  await expectAllowOfANeverReusedForB({ Cookie: `theme=dark; pacsgate_token=${signer.access({ scope: [a.studyUid], family })}` });
  const inQuery = signer.share({ scope: [a.studyUid], family });
  expect((await gate.client.get(`/dicom-web/studies/${a.studyUid}/metadata?token=${inQuery}`)).status).toBe(200);
  expect((await gate.client.get(`/dicom-web/studies/${b.studyUid}/metadata?token=${inQuery}`)).status).toBe(403);
});

it('does not store a scoped allow under a key without the URI when Nginx cannot tell the token is scoped', async () => {
  // Signed with the server's key but a plain `typ: JWT` header: the auth server still applies the
  // scope, and marks its allow scoped, so Nginx keeps it out of its cache.
  const config = loadConfig({ PACSGATE_CONFIG_DIR: gate.settings.configDir, PACSGATE_PUBLIC_URL: gate.settings.publicUrl });
  const { keyring } = openKeyring(gate.settings.configDir, config.ttl, epochSeconds(systemClock));
  const now = epochSeconds(systemClock);
  const claims = { type: 'access', jti: 'unmarked', sub: 'share:unmarked', iss: config.issuer, iat: now, exp: now + 600, name: 'Unmarked', username: 'unmarked', canEditResource: false, fam: family, scope: [a.studyUid] };
  const unmarked = jwt.sign(claims, keyring.current.privateKey, { algorithm: 'RS256', keyid: keyring.current.kid });
  await expectAllowOfANeverReusedForB(bearer(unmarked));
});

it('refuses a revoked link within the cache seconds + 1 s (Nginx’s cache clock steps by whole seconds: + 1 s more at worst)', async () => {
  const linkFamily = familyOf(await issueAccessToken(gate.client, { username: 'cache-revoked', canEdit: false }));
  const link = signer.share({ scope: [a.studyUid], family: linkFamily });
  const read = () => gate.client.get(`/dicom-web/studies/${a.studyUid}/metadata`, bearer(link));
  expect((await read()).status).toBe(200);
  expect((await gate.client.postJson('/auth/revoke', { token: link })).status).toBe(200);
  const start = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - start < (CACHE_SECONDS + 2) * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await read()).status;
  }
  expect(status).toBe(401);
});
