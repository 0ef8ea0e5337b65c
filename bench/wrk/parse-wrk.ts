/** What one wrk run measured, read from its `--latency` output. */
export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx: a refusal scenario wants all of them, any other none. */
  non2xx3xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

const TIME_UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function toMs(value: string, unit: string): number {
  const factor = TIME_UNIT_MS[unit];
  if (factor === undefined) throw new Error(`wrk: unknown time unit "${unit}"`);
  return Number(value) * factor;
}

function percentile(output: string, percent: number): number {
  const match = new RegExp(`^\\s*${percent}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(output);
  if (!match) throw new Error(`wrk: no ${percent}% latency in its output (was --latency given?)`);
  return toMs(match[1], match[2]);
}

function requiredMatch(output: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(output);
  if (!match) throw new Error(`wrk: no ${what} in its output:\n${output}`);
  return match;
}

export function parseWrkOutput(output: string): WrkResult {
  const total = requiredMatch(output, /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)/m, 'request count');
  const rate = requiredMatch(output, /^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec');
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    seconds: toMs(total[2], total[3]) / 1000,
    requestsPerSecond: Number(rate[1]),
    p50Ms: percentile(output, 50),
    p99Ms: percentile(output, 99),
    non2xx3xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: {
      connect: sockets ? Number(sockets[1]) : 0,
      read: sockets ? Number(sockets[2]) : 0,
      write: sockets ? Number(sockets[3]) : 0,
      timeout: sockets ? Number(sockets[4]) : 0,
    },
  };
}
