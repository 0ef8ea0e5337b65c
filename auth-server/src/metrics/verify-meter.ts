import { Counter, type Histogram, type Registry } from 'prom-client';
import type { RefusalReason } from '../audit/events';
import type { VerifyResult } from '../verify/verify-request';
import { REFUSAL_REASONS } from './label-values';

export const VERIFY_DECISIONS = 'pacsgate_verify_requests_total';
export const VERIFY_DURATION = 'pacsgate_verify_duration_seconds';
const DURATION_HELP = 'Time /verify took from the request to its answer';

/** Upper bounds, seconds: a decision takes microseconds, a scoped token's first request one Orthanc lookup (3 s timeout). */
const BUCKETS = [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type DecisionLabels = { result: 'allowed' | 'failed' } | { result: 'refused'; reason: RefusalReason };
/** Index 0 allowed, 1 failed, then one per refusal reason. */
const DECISION_SERIES: DecisionLabels[] = [{ result: 'allowed' }, { result: 'failed' }, ...REFUSAL_REASONS.map((reason) => ({ result: 'refused' as const, reason }))];
const ALLOWED = 0;
const FAILED = 1;
const REFUSED_AT = Object.fromEntries(REFUSAL_REASONS.map((reason, index) => [reason, 2 + index])) as Record<RefusalReason, number>;

interface SampleValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * The metrics side of `/verify`. prom-client's own counter and histogram cost about a microsecond
 * a request (label hashing, closures, float keys), as much as the decision itself: here a request
 * adds to plain arrays, and prom-client reads them only when Prometheus scrapes.
 */
export class VerifyMeter {
  private readonly decisions = new Float64Array(DECISION_SERIES.length);
  /** Observations per bucket, not cumulative; the last one past the largest bound. */
  private readonly durations = new Float64Array(BUCKETS.length + 1);
  private durationSum = 0;

  /** `startedAt`: `performance.now()` when the request came in. */
  answered(result: VerifyResult, startedAt: number): void {
    this.decisions[result.status === 204 ? ALLOWED : REFUSED_AT[result.reason]] += 1;
    const seconds = (performance.now() - startedAt) / 1000;
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) bucket += 1;
    this.durations[bucket] += 1;
    this.durationSum += seconds;
  }

  /** An error answered instead of a decision (5xx, no body: Nginx fails closed). */
  failed(): void {
    this.decisions[FAILED] += 1;
  }

  /** Adds the decision counter and the duration histogram to `registry`, read from the arrays at each scrape. */
  register(registry: Registry): void {
    const decisions = this.decisions;
    new Counter({
      name: VERIFY_DECISIONS,
      help: '/verify answers: result allowed, refused (with its reason) or failed (an error answered 5xx)',
      labelNames: ['result', 'reason'],
      registers: [registry],
      collect() {
        this.reset();
        DECISION_SERIES.forEach((labels, index) => this.inc(labels, decisions[index]));
      },
    });
    const duration = { name: VERIFY_DURATION, help: DURATION_HELP, type: 'histogram', aggregator: 'sum', get: () => Promise.resolve(this.durationMetric()) };
    // prom-client's Registry reads any metric through get(); its types only name its own classes.
    registry.registerMetric(duration as unknown as Histogram);
  }

  /** The histogram as prom-client's own Histogram reports it: cumulative `_bucket`s, `_sum`, `_count`. */
  private durationMetric() {
    let cumulative = 0;
    const values: SampleValue[] = BUCKETS.map((le, index) => {
      cumulative += this.durations[index];
      return { metricName: `${VERIFY_DURATION}_bucket`, labels: { le }, value: cumulative };
    });
    const count = cumulative + this.durations[BUCKETS.length];
    values.push(
      { metricName: `${VERIFY_DURATION}_bucket`, labels: { le: '+Inf' }, value: count },
      { metricName: `${VERIFY_DURATION}_sum`, labels: {}, value: this.durationSum },
      { metricName: `${VERIFY_DURATION}_count`, labels: {}, value: count },
    );
    return { name: VERIFY_DURATION, help: DURATION_HELP, type: 'histogram', aggregator: 'sum', values };
  }
}
