import jwt from 'jsonwebtoken';
import type { AuthTokenClaims } from '../../auth-server/src/tokens/claims';
import { READER } from '../support/oidc-provider';
import { type OidcHarness, startOidcHarness, viewerParams } from '../support/oidc-harness';

// Two auth servers on one config dir (one session secret, one database), as behind Nginx with
// several PACSGATE_AUTH_SERVERS: the sign-in flow's cookie, set by one, is read by the other.
describe('an OpenID Connect sign-in begun on one replica and finished on another', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness();
  });
  afterAll(() => h.close());

  it('signs the user in: the flow cookie needs no sticky session', async () => {
    const tab = h.tab();
    const authorizationUrl = await h.authorizationUrl(tab);
    const replicaB = h.t.restart();
    try {
      h.serve(replicaB.app);
      const { token } = viewerParams(await h.loginAt(tab, authorizationUrl, READER.sub));
      expect(jwt.decode(token) as AuthTokenClaims).toMatchObject({ type: 'auth', username: 'reader' });
    } finally {
      h.serve(h.t.app);
      await replicaB.close();
    }
  });

  it('fails when the replicas do not share the session secret, which is what makes it work', async () => {
    const tab = h.tab();
    const authorizationUrl = await h.authorizationUrl(tab);
    const replicaB = h.t.restart({ PACSGATE_SESSION_SECRET: 'not the secret of the first replica, 32+ characters' });
    const mark = h.logs.lines.length;
    try {
      h.serve(replicaB.app);
      const page = await h.loginAt(tab, authorizationUrl, READER.sub);
      expect(page.status).toBe(403);
      expect(h.logs.lines.slice(mark).join('')).toContain('no valid state cookie');
    } finally {
      h.serve(h.t.app);
      await replicaB.close();
    }
  });
});
