import { type RequestHandler } from 'express';
import type { Store } from '../store/store';
import type { RevocationList } from '../tokens/revocation-list';

/** A database that has not answered by then counts as down: a probe must not hang with it. */
export const PING_TIMEOUT_MS = 2000;

export type NotReadyReason = 'database not answering' | 'revocations not loaded';

async function databaseAnswers(store: Pick<Store, 'ping'>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  try {
    return await Promise.race([store.ping().then(() => true, () => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/readyz`, for a load balancer or Kubernetes' readiness probe: 200 while this replica can do all
 * of its work, 503 with the reason while it cannot (its database is down: it still verifies tokens,
 * but issues none), so traffic goes to the replicas that can. `/healthz` only says the process is alive.
 * The signing keys need no check: the server does not listen before they are loaded (main.ts), and
 * a failed reload keeps the keys it had. A status report rather than a refused request, so it
 * answers here, not through the error handler.
 */
export function readinessHandler(store: Pick<Store, 'ping'>, revocations: Pick<RevocationList, 'ready'>): RequestHandler {
  return async (_req, res) => {
    let reason: NotReadyReason | undefined;
    if (!revocations.ready) reason = 'revocations not loaded';
    else if (!(await databaseAnswers(store))) reason = 'database not answering';
    if (reason) res.status(503).set('Retry-After', '5').json({ status: 'not ready', reason });
    else res.json({ status: 'ready' });
  };
}
