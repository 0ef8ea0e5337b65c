import type { Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';

export const CSRF_FIELD = '_csrf';

/**
 * Signed double-submit cookie (csrf-csrf). The pages have no session to bind to, so the HMAC binds
 * the token to its `__Host-` cookie alone: that prefix and SameSite=Strict keep other sites,
 * sub-domains included, from planting or sending it.
 */
export function createCsrf(secret: string) {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: () => '',
    cookieName: '__Host-pacsgate.csrf',
    cookieOptions: { sameSite: 'strict', path: '/', secure: true, httpOnly: true },
    getCsrfTokenFromRequest: (req) => {
      const value = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      return typeof value === 'string' ? value : undefined;
    },
  });
  return {
    protect: doubleCsrfProtection,
    token: (req: Request, res: Response) => generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false }),
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
