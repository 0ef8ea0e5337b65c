import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AllowedOrigins } from '../origins/allowed-origins';

/**
 * Helmet with a CSP that allows no inline script or style. `form-action` must list the viewer
 * origins too: browsers apply it to the redirect that follows the sign-in form.
 */
export function securityHeaders(allowedOrigins: AllowedOrigins): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...allowedOrigins.entries],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** Every response of the auth server may carry a token or depend on one: never cache it. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
