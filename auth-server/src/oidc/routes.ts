import { type RequestHandler, type Response, Router } from 'express';
import { epochSeconds } from '../clock';
import type { Config, OidcConfig } from '../config';
import { BadRequest } from '../errors';
import { servesPages } from '../http/error-handler';
import type { AllowedOrigins } from '../origins/allowed-origins';
import { parseSignInTarget, type SignInTarget, viewerRedirect } from '../signin/return-uri';
import type { UserRecord } from '../store/store';
import { issueAuthToken } from '../tokens/issue';
import { configuredProvider, type ProviderDeps } from './configured-provider';
import { SignInNotVerified } from './errors';
import { signInError } from './failures';
import { STRATEGY_NAME } from './provider';
import { signInQuery, targetFromQuery } from './sign-in-query';
import { StateCookieStore } from './state-cookie';

export interface OidcDeps extends ProviderDeps {
  config: Pick<Config, 'publicUrl' | 'sessionSecret'>;
  /** Where a sign-in may send the browser back to: the viewers and the PACS itself. */
  signInTargets: AllowedOrigins;
}

/** These pages sit one folder below the others (`/auth/oidc/`): their stylesheet link must climb up. */
const oneFolderDown: RequestHandler = (_req, res, next) => {
  res.locals.assetBase = '../';
  next();
};

/** The sign-in page's "Sign in with <provider>" button; relative, like the page's other links. */
export function oidcButton(oidc: OidcConfig): (target: SignInTarget) => Record<string, unknown> {
  return (target) => ({ oidc: { name: oidc.name, href: `oidc/start?${signInQuery(target)}` } });
}

/**
 * `GET /oidc/start` sends the browser to the provider; `GET /oidc/callback` takes its answer and
 * redirects to the viewer exactly as the password form does. Links and the cookie path are built
 * from the public URL (where Nginx serves these under `/auth`), never from request headers.
 */
export function oidcRoutes(deps: OidcDeps): Router {
  const { config, oidc, services, signInTargets, logger } = deps;
  const signInPage = `${config.publicUrl}/auth/sign-in`;
  const stateStore = new StateCookieStore(config.sessionSecret, `${new URL(config.publicUrl).pathname.replace(/\/$/, '')}/auth/oidc`, services.clock);
  const provider = configuredProvider(deps, stateStore);
  const router = Router();

  router.get('/oidc/start', servesPages, oneFolderDown, async (req, res, next) => {
    // Checked before the provider is contacted: a link from a site not on the list goes nowhere.
    const target = parseSignInTarget(signInTargets, req.query.return_uri, req.query.response_type);
    const query = signInQuery(target);
    res.locals.backLink = `${signInPage}?${query}`;
    // passport-openidconnect would take these for the provider's answer.
    if (['code', 'state', 'error'].some((name) => name in req.query)) throw new BadRequest();
    await provider.ready();
    const start = provider.passport.authenticate(STRATEGY_NAME, { session: false, state: query }, (error: unknown) => next(signInError({ error }, oidc.name, logger))) as RequestHandler;
    await start(req, res, next);
  });

  router.get('/oidc/callback', servesPages, oneFolderDown, async (req, res, next) => {
    const flow = stateStore.read(req);
    stateStore.clear(res);
    if (flow) res.locals.backLink = `${signInPage}?${flow.signIn}`;
    if (typeof req.query.code !== 'string' && typeof req.query.error !== 'string') throw new BadRequest('This address only takes the answer of the sign-in provider. Start again from your viewer.');
    const { metadata } = await provider.ready();
    const failed = (failure: unknown) => {
      services.audit.record({ event: 'sign-in.failed', method: 'oidc', via: 'page', ip: req.ip });
      next(failure);
    };
    // RFC 9207: a provider that names itself in its answer must name the one we sent the user to.
    if (req.query.iss !== undefined && req.query.iss !== metadata.issuer) {
      failed(signInError({ error: new SignInNotVerified(`answer from issuer ${typeof req.query.iss === 'string' ? req.query.iss : JSON.stringify(req.query.iss)}`) }, oidc.name, logger));
      return;
    }
    const finish = provider.passport.authenticate(STRATEGY_NAME, { session: false }, async (error: unknown, user: UserRecord | false, info?: { message?: string; state?: string }) => {
      try {
        if (error || !user) throw signInError({ error, info, providerError: req.query.error }, oidc.name, logger);
        await finishSignIn(res, user, info?.state ?? '');
        services.audit.record({ event: 'sign-in.succeeded', method: 'oidc', via: 'page', username: user.username, ip: req.ip });
      } catch (failure) {
        failed(failure);
      }
    }) as RequestHandler;
    await finish(req, res, next);
  });

  /** The viewer's target is checked again on the way back, then the password flow's redirect. */
  async function finishSignIn(res: Response, user: UserRecord, signIn: string): Promise<void> {
    const target = targetFromQuery(signInTargets, signIn);
    const token = await issueAuthToken(services, user, epochSeconds(services.clock), target.returnUri.origin);
    res.redirect(303, viewerRedirect(target, token));
  }

  return router;
}
