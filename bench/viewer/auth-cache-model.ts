/** One PACS request of a study load, times in ms from the page's navigation start. */
export interface TimedRequest {
  startMs: number;
  /** When its response headers came: the token check was answered by then. */
  responseStartMs: number;
}

/**
 * How many of a load's PACS requests Nginx's auth cache would answer without asking the auth
 * server, for a browser whose requests share one cache key (one cookie token, one page): the first
 * request asks; its answer is kept `cacheSeconds` from when it arrived; a request is absorbed when
 * it starts while a kept answer is valid. Requests starting before the first answer arrived ask
 * too (Nginx's auth cache has no lock), so this counts what a real burst costs.
 */
export function absorbedByAuthCache(requests: readonly TimedRequest[], cacheSeconds: number): number {
  const ordered = [...requests].sort((a, b) => a.startMs - b.startMs);
  let validFrom = Number.POSITIVE_INFINITY;
  let validUntil = Number.NEGATIVE_INFINITY;
  let absorbed = 0;
  for (const request of ordered) {
    if (request.startMs >= validFrom && request.startMs < validUntil) {
      absorbed += 1;
      continue;
    }
    // A miss: its answer is kept from when it arrived, unless an earlier miss's answer is still to come.
    if (request.startMs >= validUntil || validFrom === Number.POSITIVE_INFINITY) {
      validFrom = request.responseStartMs;
      validUntil = request.responseStartMs + cacheSeconds * 1000;
    }
  }
  return absorbed;
}
