/**
 * How pacsgate refuses a request -- one rule, three places:
 * - Handlers and domain code throw an HttpError (a status and a message safe to show);
 *   http/error-handler.ts alone turns it into a response: `{message}` JSON for the API, an HTML
 *   page for pages. The admin pages (/token, /users, /keys) throw the same errors; their router's
 *   showFormAgain (admin/admin-form.ts) shows the form again with the message instead of a page.
 * - `/verify` returns frozen Refusal values (verify/refusal.ts) and throws nothing: it runs for
 *   every image a viewer loads, and a refusal must cost no stack trace (npm run measure:verify).
 * - `/pacs-auth` answers every failure `200 {granted: false}`: the Orthanc plugin's contract.
 */

/** The one error family: a status plus a message that is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly publicMessage: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(publicMessage);
    this.name = new.target.name;
  }
}

export class BadRequest extends HttpError {
  constructor(message = 'Invalid data') {
    super(400, message);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'Unauthorized') {
    super(401, message);
  }
}

export class NotFound extends HttpError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class TooManyRequests extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, 'Too many attempts, try again later', { 'Retry-After': String(retryAfterSeconds) });
  }
}

/** The token errors of the client contract (exchange and refresh endpoints). */
export class TokenExpired extends HttpError {
  constructor() {
    super(401, 'Token Expired');
  }
}

export class InvalidToken extends HttpError {
  constructor() {
    super(403, 'Invalid Token');
  }
}

export class MissingToken extends HttpError {
  constructor() {
    super(403, 'Missing Token');
  }
}
