import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareCommand } from '../../auth-server/src/cli/share-command';
import { api, setCookieValue, verify } from '../support/api';
import { runAsyncCommand } from '../support/cli';
import { useShareFixture } from '../support/share';

const f = useShareFixture();
/** The CLI as an operator runs it on the server: same config dir and Orthanc settings, its own database connection. */
const cliEnv = () => ({ ...f.orthanc.env, PACSGATE_PUBLIC_URL: f.t.config.publicUrl, PACSGATE_BCRYPT_COST: '4' });
const share = (...args: string[]) => runAsyncCommand(shareCommand, f.t, args, cliEnv());
const DAY = 86400;

describe('npm run share', () => {
  it('creates a link that opens the study, and audits it as the operator', async () => {
    const run = await share('create', '--study', f.studyA, '--days', '2', '--write', '--pin', '1234', '--label', 'From the CLI');
    expect(run).toMatchObject({ code: 0, err: [] });
    const url = new URL(run.out[0]);
    expect(url.origin + url.pathname.split('/').slice(0, 3).join('/')).toBe('https://pacs.example.org/auth/open');
    const link = (await f.t.store.shareLinks.list())[0];
    expect(link).toMatchObject({ studies: [f.studyA], canEditResource: true, label: 'From the CLI', createdBy: 'admin', expiresAt: Math.floor(f.t.clock.now() / 1000) + 2 * DAY });
    expect(run.out[1]).toContain(link.id);
    const audited = readFileSync(join(f.t.dir, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audited.at(-1)).toMatchObject({ event: 'share.created', id: link.id, createdBy: 'admin', via: 'cli', osUser: 'operator', canEditResource: true, pin: true });
    const page = await api(f.t).get(url.pathname.replace(/^\/auth/, ''));
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="pin"');
  });

  it('lists links without their tokens', async () => {
    const created = await share('create', '--study', f.studyB);
    const run = await share('list');
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^ID\s+LABEL\s+STUDIES\s+RIGHTS\s+BY\s+EXPIRES\s+USES\s+STATE$/);
    expect(run.out.find((line) => line.includes(f.studyB))).toMatch(/\bread\s+admin\s+.+UTC\s+0\s+active$/);
    expect(run.out.join('\n')).not.toContain(new URL(created.out[0]).pathname.split('/').pop());
  });

  it('revokes a link: the running server refuses it and its browsers at its next revocation poll', async () => {
    const created = await share('create', '--study', f.studyA);
    const path = new URL(created.out[0]).pathname.replace(/^\/auth/, '');
    const cookie = `pacsgate_token=${setCookieValue(await api(f.t).get(path), 'pacsgate_token')}`;
    const id = (await f.t.store.shareLinks.list())[0].id;
    const run = await share('revoke', id);
    expect(run).toMatchObject({ code: 0, err: [] });
    await f.t.app.services.revocations.refresh();
    expect((await verify(f.t, { Cookie: cookie, 'X-Original-URI': `/dicom-web/studies/${f.studyA}` })).status).toBe(401);
    expect((await api(f.t).get(path)).status).toBe(410);
  });

  it('unlocks a link that wrong PINs locked', async () => {
    await share('create', '--study', f.studyA, '--pin', '4321');
    const id = (await f.t.store.shareLinks.list())[0].id;
    for (let attempt = 0; attempt < 5; attempt++) await f.t.store.shareLinks.recordPinFailure(id, 5);
    expect((await f.t.store.shareLinks.find(id))?.locked).toBe(true);
    expect(await share('unlock', id)).toMatchObject({ code: 0, err: [] });
    expect(await f.t.store.shareLinks.find(id)).toMatchObject({ locked: false, failedPins: 0 });
  });

  it.each([
    [['create', '--study', '1.2.3.4.5.6.7.8.9'], /Study not found/],
    [['create', '--study', 'abc'], /StudyInstanceUID/],
    [['create', '--study', '1.2.3', '--pin', '12'], /4 to 12 digits/],
    [['create', '--study', '1.2.3', '--days', 'soon'], /--days/],
    [['create', '--study', '1.2.3', '--bogus'], /bogus/],
    [['revoke', 'no-such-link'], /no share link no-such-link/],
    [['unlock', 'no-such-link'], /no share link no-such-link/],
  ])('refuses %j with exit code 1 and says why', async (args, message) => {
    const run = await share(...args);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(message);
  });

  it.each([[[]], [['revoke']], [['list', 'extra']], [['drop', 'x']]])('prints the usage for %j (exit code 2)', async (args) => {
    const run = await share(...args);
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/^usage: npm run share --/);
  });

  it('says so when Orthanc does not answer', async () => {
    const run = await runAsyncCommand(shareCommand, f.t, ['create', '--study', f.studyA], { ...cliEnv(), PACSGATE_ORTHANC_URL: 'http://127.0.0.1:9' });
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/Orthanc at http:\/\/127\.0\.0\.1:9 is not answering/);
  });
});
