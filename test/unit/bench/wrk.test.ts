import { parseWrkOutput } from '../../../bench/wrk/parse-wrk';
import { forgedTokensScript } from '../../../bench/wrk/forged-tokens-script';
import { wrkArguments } from '../../../bench/wrk/run-wrk';

const OUTPUT = `Running 10s test @ https://127.0.0.1:8443/system
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.48ms    3.87ms  78.56ms   97.73%
    Req/Sec     6.46k     1.71k    9.97k    55.00%
  Latency Distribution
     50%  791.00us
     75%    1.30ms
     90%    2.19ms
     99%    1.04s
  128770 requests in 10.01s, 16.28MB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 42
Requests/sec:  12864.13
Transfer/sec:      1.63MB
`;

describe('parseWrkOutput', () => {
  it('reads the rate, the percentiles in any unit, errors and refusals', () => {
    expect(parseWrkOutput(OUTPUT)).toEqual({
      requests: 128770,
      seconds: 10.01,
      requestsPerSecond: 12864.13,
      p50Ms: 0.791,
      p99Ms: 1040,
      non2xx3xx: 42,
      socketErrors: { connect: 0, read: 3, write: 0, timeout: 7 },
    });
  });

  it('counts no errors when wrk prints none', () => {
    const clean = OUTPUT.replace(/ {2}Socket errors.*\n {2}Non-2xx.*\n/, '');
    expect(parseWrkOutput(clean)).toMatchObject({ non2xx3xx: 0, socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 } });
  });

  it('fails loudly without the latency distribution', () => {
    expect(() => parseWrkOutput(OUTPUT.replace(/ {5}99%.*\n/, ''))).toThrow(/99% latency/);
  });
});

describe('wrkArguments', () => {
  it('runs two threads with latency figures, headers and a script when given', () => {
    expect(wrkArguments({ url: 'https://127.0.0.1:1/x', headers: { Authorization: 'Bearer t' }, connections: 32, seconds: 10 }, '/tmp/s.lua')).toEqual([
      '-t', '2', '-c', '32', '-d', '10s', '--latency', '--timeout', '5s', '-s', '/tmp/s.lua', '-H', 'Authorization: Bearer t', 'https://127.0.0.1:1/x',
    ]);
  });
});

describe('forgedTokensScript', () => {
  const token = `${'h'.repeat(36)}.${'p'.repeat(300)}.${'s'.repeat(342)}`;

  it('replaces eight characters inside the signature, keeping the rest and the length', () => {
    const script = forgedTokensScript(token);
    const head = /local head = "([^"]*)"/.exec(script)?.[1] ?? '';
    const tail = /local tail = "([^"]*)"/.exec(script)?.[1] ?? '';
    expect(head.length + 8 + tail.length).toBe(token.length);
    expect(head.startsWith(token.slice(0, token.lastIndexOf('.') + 1))).toBe(true);
    expect(token.endsWith(tail)).toBe(true);
    expect(tail.length).toBeGreaterThan(100);
  });

  it.each([
    ['authorization', 'return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. forged })'],
    ['query', 'return wrk.format(nil, wrk.path .. "?token=" .. forged)'],
  ] as const)('sends the forged token in the %s', (place, send) => {
    expect(forgedTokensScript(token, place)).toContain(send);
  });

  it('refuses anything that could break out of the Lua string', () => {
    expect(() => forgedTokensScript('a.b."; os.exit() --')).toThrow(/base64url/);
  });
});
