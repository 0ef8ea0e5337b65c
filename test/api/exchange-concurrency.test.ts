import { generateToken } from '../support/api';
import { listen, type ListeningServer, sendHttp } from '../support/listening-server';
import { createTestApp } from '../support/test-app';

describe('concurrent exchanges of one auth token', () => {
  const t = createTestApp();
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('give exactly one success out of 20 on a real listening server', async () => {
    const authToken = await generateToken(t);
    const replies = await Promise.all(
      // No shared agent: 20 sockets, all requests in flight at once.
      Array.from({ length: 20 }, () => sendHttp(server.port, { method: 'POST', path: '/generate-access-token', headers: { Authorization: `Bearer ${authToken}` } })),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(403)]);
  });
});
