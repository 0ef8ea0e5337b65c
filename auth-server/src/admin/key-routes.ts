import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { epochSeconds } from '../clock';
import { servesPages } from '../http/error-handler';
import { loadKeyring } from '../keys/keyring';
import { keepRetiredSeconds, listSigningKeys, rotateSigningKey, signingKeysDir } from '../keys/rotation';
import { passwordField } from '../users/fields';
import { readAdminForm, showFormAgain } from './admin-form';
import { webActor } from './admin-password';
import type { AdminDeps } from './deps';
import { displayTime } from './display-time';

const rotateForm = z.strictObject({ _csrf: z.string(), adminPassword: passwordField });

/** `/keys`: the signing keys and a button that makes a new one current. */
export function keyAdminRoutes(deps: AdminDeps): Router {
  const { services, csrf, adminLimit, keyring, config } = deps;
  const dir = signingKeysDir(config.configDir);
  const keepSeconds = keepRetiredSeconds(config.ttl);
  const router = Router();

  const render = (req: Request, res: Response, view: { status?: number; error?: string; notice?: string }) =>
    res.status(view.status ?? 200).render('keys', {
      csrfToken: csrf.token(req, res),
      error: view.error,
      notice: view.notice,
      keys: listSigningKeys(dir, keepSeconds).map((key) => ({
        kid: key.kid,
        state: key.current ? 'signing' : `retired ${displayTime(key.retiredAt as number)}, published until ${displayTime(key.prunableAt as number)}`,
      })),
    });

  router.get('/keys', servesPages, (req, res) => render(req, res, {}));

  router.post('/keys', servesPages, adminLimit, csrf.protect, async (req, res) => {
    await readAdminForm(deps, req, res, rotateForm, () => 'rotate-key');
    const { current } = rotateSigningKey(dir, epochSeconds(services.clock));
    // This process signs with the new key from the next token on; other processes see `current` change.
    keyring.replaceWith(loadKeyring(dir));
    services.audit.record({ event: 'admin.action', action: 'rotate-key', kid: current, ...webActor(req, 'page') });
    render(req, res, { notice: `Key ${current} now signs new tokens. The previous key keeps verifying the tokens it signed until they expire.` });
  });

  router.use('/keys', showFormAgain((req, res, failure) => render(req, res, failure)));

  return router;
}
