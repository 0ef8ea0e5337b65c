/**
 * The one error family: a status plus a message that is safe to show. Handlers and domain code
 * throw these; http/error-handler.ts is the only place that turns them into responses.
 */
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

export class Forbidden extends HttpError {
  constructor(message = 'Forbidden') {
    super(403, message);
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
