import { decades, throughputChart } from '../../../bench/report/svg-chart';
import { checkTargets } from '../../../bench/report/targets';
import type { ScenarioSummary } from '../../../bench/summary';

const summary = (scenario: string, connections: number, requestsPerSecond: number, p99Ms = 1): ScenarioSummary => ({
  scenario, connections, runs: 2, requestsPerSecond, p50Ms: 0.5, p99Ms, requests: 1000, non2xx3xx: 0, socketErrors: 0,
});

describe('throughputChart', () => {
  it('draws one bar per scenario and concurrency on a log axis spanning every value', () => {
    expect(decades([322, 31_000])).toEqual([100, 1000, 10_000, 100_000]);
    const svg = throughputChart([summary('a', 8, 400), summary('a', 32, 500), summary('b', 8, 20_000)], 'title <&>');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('title &lt;&amp;&gt;');
  });
});

describe('checkTargets', () => {
  it('checks the issue’s targets at c32 and says which were met', () => {
    const summaries = [
      summary('baseline-system', 32, 10_000, 5), summary('gate-system', 32, 9_000), summary('gate-nocache-system', 32, 8_500, 5.5),
      summary('verify-direct', 32, 14_000), summary('gate-invalid-token', 32, 9_000), summary('gate-invalid-query-token', 32, 8_000),
      summary('gate-frames-full', 32, 1_000), summary('gate-frames-scoped', 32, 950), summary('gate-rest-full', 32, 8_000), summary('gate-rest-scoped', 32, 7_000),
    ];
    const verdicts = Object.fromEntries(checkTargets({ summaries, rss: { beforeMb: 70, peakMb: 90, afterMb: 80 } }).map((t) => [t.target, t.met]));
    expect(verdicts).toMatchObject({
      'gate/baseline ≥ 0.95 at c32, /system, as set up (auth cache 1 s)': false,
      'gate/baseline ≥ 0.80 at c32, /system, auth cache 0': true,
      'p99 added by the gate < 1 ms at c32, /system, auth cache 0': true,
      '/verify direct ≥ 15 k req/s at c32': false,
      'auth server RSS < 120 MB at peak': true,
      'invalid tokens refused at ≥ the gate\'s uncached allow rate at c32': true,
      'invalid ?token= refused at ≥ the gate\'s uncached allow rate at c32': false,
      'gate/baseline ≥ 0.80 at c32, QIDO, auth cache 0': null,
      'share link/full token ≥ 0.90 at c32, WADO-RS frames, auth cache 0': true,
      'share link/full token ≥ 0.90 at c32, Orthanc REST, auth cache 0': false,
    });
  });
});
