import type { Clock } from '../clock';

/** The longest PACSGATE_AUTH_CACHE_SECONDS: a revoked token may keep passing Nginx's auth cache this long. */
export const MAX_AUTH_CACHE_SECONDS = 5;

export const NO_STORE = 'no-store';

/** Tells Nginx an allow holds for this URI only: it never caches one under a key without the URI. */
export const SCOPED_ALLOW_HEADER = 'X-Pacsgate-Scoped';

/**
 * `Cache-Control` of `/verify`'s answers, the only thing Nginx's opt-in auth cache goes by: an allow
 * may be reused for the configured seconds but never past its token's expiry; everything else, and
 * any answer that sets a cookie, is `no-store`. The header strings are made once, at start.
 */
export class VerifyCacheControl {
  /** Index = seconds; 0 = `no-store`. */
  private readonly byMaxAge: readonly string[];

  constructor(
    private readonly cacheSeconds: number,
    private readonly clock: Clock,
  ) {
    this.byMaxAge = Array.from({ length: cacheSeconds + 1 }, (_, seconds) => (seconds === 0 ? NO_STORE : `max-age=${seconds}`));
  }

  forAllowed(tokenExpiresAt: number): string {
    const secondsLeft = Math.floor(tokenExpiresAt - this.clock.now() / 1000);
    return this.byMaxAge[Math.max(0, Math.min(this.cacheSeconds, secondsLeft))];
  }
}
