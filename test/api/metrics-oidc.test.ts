import { parseMetricsText, samplesOf, seriesKey } from '../support/metrics-text';
import { EDITOR } from '../support/oidc-provider';
import { type OidcHarness, startOidcHarness, viewerParams } from '../support/oidc-harness';

let h: OidcHarness;
beforeAll(async () => {
  h = await startOidcHarness({ users: [EDITOR] });
});
afterAll(() => h.close());

const signIns = async () => samplesOf(parseMetricsText(await h.t.app.metrics.registry.metrics()), 'pacsgate_sign_ins_total');

it('counts OpenID Connect sign-ins that worked and those refused', async () => {
  expect(Object.values(await signIns()).every((value) => value === 0)).toBe(true);
  viewerParams(await h.signIn(EDITOR.sub));
  viewerParams(await h.signIn(EDITOR.sub));
  // The provider's answer in a browser that did not start the flow: no state cookie, refused.
  const answer = await h.providerAnswer(h.tab(), await h.authorizationUrl(h.tab()), EDITOR.sub);
  expect((await h.tab().follow(answer)).status).toBe(403);

  expect(await signIns()).toEqual({
    [seriesKey('pacsgate_sign_ins_total', { method: 'oidc', result: 'succeeded' })]: 2,
    [seriesKey('pacsgate_sign_ins_total', { method: 'oidc', result: 'failed' })]: 1,
    [seriesKey('pacsgate_sign_ins_total', { method: 'password', result: 'succeeded' })]: 0,
    [seriesKey('pacsgate_sign_ins_total', { method: 'password', result: 'failed' })]: 0,
    [seriesKey('pacsgate_sign_ins_total', { method: 'admin', result: 'succeeded' })]: 0,
    [seriesKey('pacsgate_sign_ins_total', { method: 'admin', result: 'failed' })]: 0,
  });
});
