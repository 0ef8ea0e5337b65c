import { readFileSync } from 'node:fs';
import { configLayout } from '../../auth-server/src/config-files';
import { basicAuthorization, ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
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

/**
 * What Orthanc received: its DICOMweb plugin logs each QIDO-RS request's arguments as sent (keys
 * still percent-encoded) once its log category "plugins" is verbose.
 */
async function orthancQueryLines(send: () => Promise<unknown>, marker: string): Promise<string[]> {
  const password = readFileSync(configLayout(gate.settings.configDir).orthancNginxPassword, 'utf8').trim();
  const setLevel = async (level: string) => {
    const response = await fetch(`http://127.0.0.1:${gate.settings.orthancHttpPort}/tools/log-level-plugins`, { method: 'PUT', headers: { Authorization: basicAuthorization(ORTHANC_USER, password) }, body: level });
    expect(response.status).toBe(200);
  };
  const lines: string[] = [];
  const stopWatching = gate.onOutput((source, line) => {
    if (source === 'orthanc' && line.includes('Arguments of QIDO-RS request')) lines.push(line);
  });
  await setLevel('verbose');
  try {
    await send();
    // A request that does reach Orthanc, last: once its line is in, the lines before it are too.
    expect((await gate.client.get(`/dicom-web/studies?PatientID=${marker}`, bearer(readToken))).status).toBe(200);
    for (let waited = 0; !lines.some((line) => line.includes(marker)) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.some((line) => line.includes(marker))).toBe(true);
    return lines;
  } finally {
    stopWatching();
    await setLevel('default');
  }
}

describe('a token in the query under a key the auth server reads as `token`', () => {
  it.each([
    ['percent-encoded letters', (token: string) => `?%74oken=${token}&PatientID=x`, {}],
    ['percent-encoded letters beside a valid Authorization header', (token: string) => `?PatientID=x&tok%65n=${token}`, 'header'],
    ['a second token parameter', (token: string) => `?token=${token}&token=${token}`, {}],
  ] as const)('is refused with 400 (%s) and never reaches Orthanc', async (_, query, withHeader) => {
    const token = await issueAccessToken(gate.client, { username: 'agreement-query', canEdit: false });
    let status = 0;
    const lines = await orthancQueryLines(async () => {
      status = (await gate.client.get(`/dicom-web/studies${query(token)}`, withHeader === 'header' ? bearer(readToken) : {})).status;
    }, 'control-after-refusal');
    expect(lines.filter((line) => line.includes(token))).toEqual([]);
    expect(status).toBe(400);
  });

  it('is stripped before Orthanc when spelled `token=` once, and the query still answered', async () => {
    let status = 0;
    const lines = await orthancQueryLines(async () => {
      status = (await gate.client.get(`/dicom-web/studies?PatientID=stripped-probe&token=${readToken}`)).status;
    }, 'control-after-strip');
    expect(status).toBe(200);
    const probe = lines.filter((line) => line.includes('stripped-probe'));
    expect(probe).toHaveLength(1);
    expect(probe[0]).not.toContain('token');
  });
});
