import { bearer } from '../support/gate-client';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

// Nginx is rendered from the settings setup parsed, by the auth server's rules: where the two read
// the same value, they must read it the same way.

/** How an operator may write the viewer's origin; browsers send it as `https://viewer.example.org`. */
const CONFIGURED_VIEWER = 'https://Viewer.example.org:443';
const BROWSER_ORIGIN = 'https://viewer.example.org';

let gate: TestStack;
let readToken: string;

beforeAll(async () => {
  gate = await startTestStack({ allowedOrigins: [CONFIGURED_VIEWER] });
  readToken = await issueAccessToken(gate.client, { username: 'agreement-reader', canEdit: false });
}, 60000);

afterAll(async () => {
  await gate?.stop();
});

describe('an allowed origin written with capitals and its default port', () => {
  it('gets CORS headers on a preflight, as browsers send the origin', async () => {
    const response = await gate.client.send('OPTIONS', '/dicom-web/studies', {
      headers: { Origin: BROWSER_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(BROWSER_ORIGIN);
  });

  it('gets CORS headers with credentials on a PACS response', async () => {
    const response = await gate.client.get('/patients', { ...bearer(readToken), Origin: BROWSER_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(BROWSER_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });
});
