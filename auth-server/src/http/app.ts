import cookieParser from 'cookie-parser';
import cors from 'cors';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminRoutes } from '../admin/routes';
import { type AuditLog, openAuditLog } from '../audit/audit-log';
import { VerifyAuditor } from '../audit/verify-auditor';
import { type Clock, systemClock } from '../clock';
import type { Config } from '../config';
import { explorerRoutes } from '../explorer/routes';
import type { Keyring } from '../keys/keyring';
import { KeyringWatcher } from '../keys/keyring-watcher';
import { signingKeysDir } from '../keys/rotation';
import { createLogger, type Logger } from '../logger';
import { countingAuditLog } from '../metrics/counting-audit-log';
import { PacsgateMetrics } from '../metrics/pacsgate-metrics';
import { oidcButton, oidcRoutes } from '../oidc/routes';
import { OrthancClient } from '../orthanc/orthanc-client';
import { AllowedOrigins } from '../origins/allowed-origins';
import { pacsAuthRoutes } from '../pacs-auth/routes';
import type { Services } from '../services';
import { shareApiRoutes } from '../share/api-routes';
import { openRoutes } from '../share/open-routes';
import { sharePageRoutes } from '../share/page-routes';
import { signInRoutes } from '../signin/routes';
import type { Store } from '../store/store';
import { TokenCodec } from '../tokens/codec';
import { RevocationList } from '../tokens/revocation-list';
import { tokenRoutes } from '../tokens/routes';
import { PasswordHasher } from '../users/passwords';
import { viewerRoutes } from '../viewer/routes';
import { VerifyCacheControl } from '../verify/cache-control';
import { createVerifyHandler } from '../verify/handler';
import { ScopedRequests } from '../verify/scoped-requests';
import { RequestVerifier } from '../verify/verify-request';
import { createCsrf } from './csrf';
import { errorHandler, notFound, verifyFailureHandler } from './error-handler';
import { PUBLIC_DIR, VIEWS_DIR } from './paths';
import { failedAttemptLimit } from './rate-limit';
import { readinessHandler } from './readiness';
import { noStore, securityHeaders } from './security';

export interface AppDeps {
  config: Config;
  store: Store;
  keyring: Keyring;
  clock?: Clock;
  logger?: Logger;
  /** Where audit events go; by default the configured file (or standard output). */
  audit?: AuditLog;
  /** The auth server's own client to Orthanc; by default the configured one. */
  orthanc?: OrthancClient;
  /** Where the app counts what it does; by default a registry of its own (main.ts serves it). */
  metrics?: PacsgateMetrics;
}

export interface PacsgateApp {
  /** The request listener: `/verify` straight to the hot path, everything else through Express. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  services: Services;
  /** Keeps the keyring in step with the key files other processes rotate; main.ts starts its polling. */
  keyWatcher: KeyringWatcher;
  logger: Logger;
  orthanc: OrthancClient;
  metrics: PacsgateMetrics;
  /** Resolves once the revocations recorded so far are in memory; requests that come sooner wait for them. */
  ready: Promise<void>;
}

const BODY_LIMIT = '64kb';

export function createApp(deps: AppDeps): PacsgateApp {
  const { config, store, keyring } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const metrics = deps.metrics ?? new PacsgateMetrics();
  metrics.watchPool(() => store.poolStats());
  const audit = countingAuditLog(deps.audit ?? openAuditLog(config.audit.destination, { sync: false }, (error) => logger.error({ err: error }, 'audit log write failed')), metrics);
  const keyWatcher = new KeyringWatcher(keyring, signingKeysDir(config.configDir), clock);
  const codec = new TokenCodec(keyring, config.issuer, () => keyWatcher.lookForUnknownKid());
  const revocations = new RevocationList(store.tokens, clock);
  const ready = revocations.refresh();
  const services: Services = { config, store, clock, codec, revocations, audit };
  const orthanc = deps.orthanc ?? new OrthancClient(config.orthanc, clock);
  const allowedOrigins = new AllowedOrigins(config.allowedOrigins);
  // Where sign-in may send a browser back to: the viewers, and the PACS itself (Nginx sends
  // token-less browsers to sign in with return_uri = the explorer or viewer page they asked for).
  const signInTargets = new AllowedOrigins([...config.allowedOrigins, new URL(config.publicUrl).origin]);
  const verifier = new RequestVerifier(services, allowedOrigins, new ScopedRequests(orthanc));
  const hasher = new PasswordHasher(config.bcryptCost);
  const csrf = createCsrf(config.sessionSecret);
  const { windowSeconds, adminAttempts, signInAttempts } = config.rateLimit;

  const app = express();
  // 'production' also keeps Express's fallback error handler from ever printing a stack trace.
  app.set('env', 'production');
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.use(securityHeaders(allowedOrigins));
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  app.use(noStore);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', readinessHandler(store, revocations));
  app.use(cors({ origin: (origin, done) => done(null, allowedOrigins.matches(origin)), credentials: true, exposedHeaders: ['Authorization'], maxAge: 600 }));
  app.use(pacsAuthRoutes(services, orthanc));
  app.use(express.json({ limit: BODY_LIMIT }), express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }), cookieParser());
  app.use(tokenRoutes(services, keyring));
  const adminLimit = failedAttemptLimit(windowSeconds, adminAttempts, metrics.rateLimitHit('admin'));
  app.use(adminRoutes({ config, services, hasher, csrf, adminLimit, keyring }));
  const shareDeps = { config, services, hasher, csrf, adminLimit, orthanc, pinLimit: failedAttemptLimit(windowSeconds, signInAttempts, metrics.rateLimitHit('share-pin')) };
  app.use(shareApiRoutes(shareDeps), openRoutes(shareDeps), sharePageRoutes(shareDeps));
  app.use(signInRoutes({ services, hasher, csrf, signInTargets, signInLimit: failedAttemptLimit(windowSeconds, signInAttempts, metrics.rateLimitHit('sign-in')), pageExtras: config.oidc && oidcButton(config.oidc) }));
  if (config.oidc) app.use(oidcRoutes({ config, oidc: config.oidc, services, signInTargets, logger }));
  app.use(explorerRoutes(verifier, config.publicUrl));
  app.use(viewerRoutes(verifier, config.publicUrl));
  app.use(notFound);
  app.use(errorHandler(logger));

  const answerFailure = verifyFailureHandler(logger);
  const verifyFailed = (error: unknown, res: ServerResponse): void => {
    metrics.verify.failed();
    answerFailure(error, res);
  };
  const verify = createVerifyHandler(verifier, new VerifyAuditor(audit, clock, config.audit), metrics.verify, new VerifyCacheControl(config.authCacheSeconds, clock), verifyFailed);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Until the first read of the revocations, a revoked token would pass: wait for it (once, at start).
    if (!revocations.ready) return void revocations.refresh().then(() => handle(req, res), (error: unknown) => verifyFailed(error, res));
    const url = req.url ?? '';
    // Any method: Nginx's auth subrequest inherits the original request's method.
    if (url !== '/verify' && !url.startsWith('/verify?')) return void app(req, res);
    // A throw here would escape the server's request listener and end the process.
    try {
      verify(req, res);
    } catch (error) {
      verifyFailed(error, res);
    }
  };
  return { handle, services, keyWatcher, logger, orthanc, ready, metrics };
}
