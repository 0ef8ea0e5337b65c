import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { BadRequest, MissingToken } from '../errors';
import { authorizationToken } from '../http/presented-token';
import type { Keyring } from '../keys/keyring';
import type { Services } from '../services';
import { exchangeAuthToken, refreshTokenPair } from './exchange';
import type { TokenPair } from './issue';
import { revokeToken } from './revoke';

function presentedToken(req: Request): string {
  const token = authorizationToken(req.get('authorization'));
  if (!token) throw new MissingToken();
  return token;
}

/** The contract's reply: the access token in a header, the refresh token as the plain-text body. */
function sendPair(res: Response, pair: TokenPair): void {
  res.set('Authorization', `Bearer ${pair.accessToken}`).type('text/plain').send(pair.refreshToken);
}

const revokeBody = z.object({ token: z.string().min(1).max(8192), token_type_hint: z.string().optional() });

export function tokenRoutes(services: Services, keyring: Keyring): Router {
  const router = Router();
  router.post('/generate-access-token', async (req, res) => sendPair(res, await exchangeAuthToken(services, presentedToken(req), req.get('origin'))));
  router.post('/refresh-token', async (req, res) => sendPair(res, await refreshTokenPair(services, presentedToken(req), req.get('origin'))));
  router.post('/revoke', async (req, res) => {
    const parsed = revokeBody.safeParse(req.body);
    if (!parsed.success) throw new BadRequest('token is required');
    await revokeToken(services, parsed.data.token);
    res.status(200).end();
  });
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(keyring.jwks());
  });
  return router;
}
