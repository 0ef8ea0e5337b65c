import { api, bodyOf, issueSession } from '../support/api';
import { createTestApp } from '../support/test-app';

describe('GET /readyz', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('says ready while the database answers, not ready (503, with the reason) once it does not, while /healthz stays ok', async () => {
    const session = await issueSession(t);
    const ready = await api(t).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });

    await t.store.close();
    const notReady = await api(t).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ status: 'not ready', reason: 'database not answering' });
    expect(notReady.headers['cache-control']).toBe('no-store');
    expect(bodyOf(await api(t).get('/healthz'))).toEqual({ status: 'ok' });
    // What it already knows needs no database: the signature and the revocation list in memory.
    expect((await api(t).get('/verify').set('Authorization', `Bearer ${session.accessToken}`)).status).toBe(204);
  });
});
