import express, { type ErrorRequestHandler, Router } from 'express';
import { epochSeconds } from '../clock';
import { authorizationToken } from '../http/presented-token';
import { isOrthancId, type OrthancClient, type ResourceLevel } from '../orthanc/orthanc-client';
import { isWrite } from '../pacs-routes/read-posts';
import type { Services } from '../services';
import { decodePresented } from '../tokens/presented';

/** How long Orthanc may cache a grant: short, so revocations take effect within seconds. */
const GRANT_SECONDS = 5;
const DENIED = { granted: false, validity: 0 };
/** The plugin's resource levels a scope can be checked on; `patient` and `system` never can. */
const SCOPED_LEVELS: Readonly<Record<string, ResourceLevel>> = { study: 'studies', series: 'series', instance: 'instances' };

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
 * A scoped token is granted only reads of a study, series or instance whose study Orthanc says is
 * in its scope; never a patient, a system-level call or a write (the plugin sends no body to check).
 */
async function scopeGrants(orthanc: OrthancClient, scope: readonly string[], body: Record<string, unknown>, method: string): Promise<boolean> {
  const level = typeof body.level === 'string' ? SCOPED_LEVELS[body.level] : undefined;
  const id = body['orthanc-id'];
  if (method !== 'get' || !level || typeof id !== 'string' || !isOrthancId(id)) return false;
  const study = await orthanc.studyOfResource(level, id);
  return study !== null && scope.includes(study);
}

/**
 * The Orthanc authorization plugin's legacy "WebService" call. It always answers 200; any failure,
 * malformed bodies and an unreachable Orthanc included, is `granted: false`.
 */
export function pacsAuthRoutes(services: Pick<Services, 'codec' | 'clock' | 'revocations'>, orthanc: OrthancClient): Router {
  const router = Router();
  router.post('/pacs-auth', express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const value = (typeof body['token-value'] === 'string' && authorizationToken(body['token-value'])) || '';
    const method = typeof body.method === 'string' ? body.method.toLowerCase() : '';
    const now = epochSeconds(services.clock);
    const claims = decodePresented(services.codec, value, now);
    if (!claims || services.revocations.has(claims.fam)) return void res.json(DENIED);
    const granted = claims.scope ? await scopeGrants(orthanc, claims.scope, body, method) : unscopedGrants(claims.canEditResource, body, method);
    res.json(granted ? { granted: true, validity: Math.min(GRANT_SECONDS, claims.exp - now) } : DENIED);
  });
  const denyOnError: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(200).json(DENIED);
  };
  router.use('/pacs-auth', denyOnError);
  return router;
}
