import { Counter, Gauge, Registry } from 'prom-client';
import { ATTEMPT_LIMITS, type AttemptLimit, EXCHANGE_VIAS, ISSUED_KINDS, REVOCATION_REASONS, SIGN_IN_METHODS } from './label-values';
import { VerifyMeter } from './verify-meter';

/**
 * The auth server's Prometheus metrics, in a registry of its own (one per app, so tests count
 * exactly). Names follow Prometheus conventions: `pacsgate_` prefix, `_total` counters, base units.
 */
export class PacsgateMetrics {
  readonly registry = new Registry();
  readonly verify = new VerifyMeter();
  readonly tokensIssued = this.counter('pacsgate_tokens_issued_total', 'Tokens signed, by kind (auth: one-off; access; refresh)', ['kind'], ISSUED_KINDS.map((kind) => ({ kind })));
  readonly tokensExchanged = this.counter('pacsgate_tokens_exchanged_total', 'One-off auth tokens spent for a token pair, by where (api; explorer-link: a link opened in a browser)', ['via'], EXCHANGE_VIAS.map((via) => ({ via })));
  readonly tokensRefreshed = this.counter('pacsgate_tokens_refreshed_total', 'Refresh tokens rotated for a new pair', [], [{}]);
  readonly tokensRevoked = this.counter('pacsgate_tokens_revoked_total', 'Token families and unspent auth tokens revoked, by reason', ['reason'], REVOCATION_REASONS.map((reason) => ({ reason })));
  readonly signIns = this.counter(
    'pacsgate_sign_ins_total',
    'Sign-ins by method (password, oidc; admin: a web admin request, each carries the admin password) and result',
    ['method', 'result'],
    SIGN_IN_METHODS.flatMap((method) => [{ method, result: 'succeeded' }, { method, result: 'failed' }]),
  );
  readonly rateLimited = this.counter('pacsgate_rate_limited_requests_total', 'Requests refused 429 by a failed-attempt limit, by limit', ['limit'], ATTEMPT_LIMITS.map((limit) => ({ limit })));
  readonly shareLinksCreated = this.counter('pacsgate_share_links_created_total', 'Share links made', [], [{}]);
  readonly shareLinksOpened = this.counter('pacsgate_share_links_opened_total', 'Share links opened (a visitor given a token)', [], [{}]);
  readonly sharePinFailures = this.counter('pacsgate_share_link_pin_failures_total', 'Wrong PINs given for share links', [], [{}]);
  readonly shareLinksLocked = this.counter('pacsgate_share_links_locked_total', 'Share links locked by wrong PINs', [], [{}]);
  readonly shareLinksRevoked = this.counter('pacsgate_share_links_revoked_total', 'Share links revoked, by reason', ['reason'], REVOCATION_REASONS.map((reason) => ({ reason })));

  constructor() {
    this.verify.register(this.registry);
  }

  /** Reports the store's connection pool (SQLite: one connection, never waiting) at each scrape. */
  watchPool(poolStats: () => { total: number; idle: number; waiting: number }): void {
    new Gauge({
      name: 'pacsgate_db_pool_connections',
      help: 'Database connections open, by state (in_use, idle)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const { total, idle } = poolStats();
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'idle' }, idle);
      },
    });
    new Gauge({
      name: 'pacsgate_db_pool_waiting_requests',
      help: 'Queries waiting for a free database connection',
      registers: [this.registry],
      collect() {
        this.set(poolStats().waiting);
      },
    });
  }

  /** Counts one 429 of `limit`: handed to that limiter at start. */
  rateLimitHit(limit: AttemptLimit): () => void {
    const series = this.rateLimited.labels({ limit });
    return () => series.inc();
  }

  /** A counter whose known series start at 0, so a rate over them is defined before the first event. */
  private counter<L extends string>(name: string, help: string, labelNames: L[], series: Array<Partial<Record<L, string>>>): Counter<L> {
    const counter = new Counter({ name, help, labelNames, registers: [this.registry] });
    for (const labels of series) counter.inc(labels, 0);
    return counter;
  }
}
