import { captureLogs } from '../support/log-capture';

describe('createLogger redaction', () => {
  /** The objects this code base holds credentials in, shaped as a log call would pass them. */
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a request body', { body: { password: 'S1', userPassword: 'S2', adminPassword: 'S3', token: 'S4', _csrf: 'S5' } }],
    ['a user record', { user: { username: 'ada', passwordHash: 'S1' } }],
    ['a token pair', { pair: { accessToken: 'S1', refreshToken: 'S2' } }],
    ['the config', { config: { adminPasswordHash: 'S1', sessionSecret: 'S2', oidc: { clientSecret: 'S3' } } }],
    ['request headers', { req: { headers: { authorization: 'Bearer S1', cookie: 'pacsgate_token=S2' } } }],
    ['response headers', { res: { headers: { 'set-cookie': 'pacsgate_token=S1' } } }],
    ['top-level fields', { password: 'S1', token: 'S2', accessToken: 'S3', refreshToken: 'S4', authorization: 'S5', cookie: 'S6', hash: 'S7' }],
  ];

  it.each(cases)('hides the credentials in %s', (_case, fields) => {
    const logs = captureLogs('info');
    logs.logger.info(fields, 'something happened');
    const line = logs.text();
    expect(line).toContain('something happened');
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/S\d/);
  });
});
