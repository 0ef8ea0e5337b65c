import express, { type ErrorRequestHandler, Router } from 'express';
import { epochSeconds } from '../clock';
import { authorizationToken } from '../http/presented-token';
import { isWrite } from '../pacs-routes/read-posts';
import type { Services } from '../services';

/** How long Orthanc may cache a grant: short, so revocations take effect within seconds. */
const GRANT_SECONDS = 5;
const DENIED = { granted: false, validity: 0 };

/**
 * A token without a scope may read; a write needs edit rights. The plugin names the URI only for a
 * "system" access (/tools/find), so the read-POST table applies there; for a resource it sends the
 * resource, so POST /studies/{id}/archive cannot be told from POST /studies/{id}/modify and stays a write.
 */
function unscopedGrants(canEditResource: boolean, body: Record<string, unknown>, method: string): boolean {
  if (method === 'get' || (method !== '' && canEditResource)) return true;
  return method === 'post' && body.level === 'system' && typeof body.uri === 'string' && !isWrite('POST', body.uri);
}

/**
 * The Orthanc authorization plugin's legacy "WebService" call. It always answers 200; any failure,
 * malformed bodies included, is `granted: false`.
 */
export function pacsAuthRoutes(services: Pick<Services, 'codec' | 'clock' | 'revocations'>): Router {
  const router = Router();
  router.post('/pacs-auth', express.json({ limit: '16kb' }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const value = (typeof body['token-value'] === 'string' && authorizationToken(body['token-value'])) || '';
    const method = typeof body.method === 'string' ? body.method.toLowerCase() : '';
    const now = epochSeconds(services.clock);
    const decoded = services.codec.decode(value, 'access', now);
    const allowed = decoded.ok && !services.revocations.has(decoded.claims.fam) && unscopedGrants(decoded.claims.canEditResource, body, method);
    res.json(allowed && decoded.ok ? { granted: true, validity: Math.min(GRANT_SECONDS, decoded.claims.exp - now) } : DENIED);
  });
  const denyOnError: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(200).json(DENIED);
  };
  router.use('/pacs-auth', denyOnError);
  return router;
}
