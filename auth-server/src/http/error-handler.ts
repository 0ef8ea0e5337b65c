import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import { HttpError, NotFound } from '../errors';
import type { Logger } from '../logger';
import { OrthancUnavailable } from '../orthanc/orthanc-http';
import { isDatabaseUnreachable } from '../store/database-unreachable';

/** Another connection held the database past busy_timeout: a retry will do, it is no server fault. */
const DATABASE_BUSY = /^SQLITE_(BUSY|LOCKED)/;

/** Errors thrown by body-parser and friends carry `status`/`type`; they become our own, with our wording. */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { status, type, code } = (error ?? {}) as { status?: number; type?: string; code?: string };
  if (type === 'entity.too.large') return new HttpError(413, 'Request body too large');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new HttpError(415, 'Unsupported request encoding');
  if (code === 'EBADCSRFTOKEN') return new HttpError(403, 'This form has expired or did not come from this site. Reload the page and try again.');
  if (error instanceof OrthancUnavailable) return new HttpError(503, 'The PACS is not answering, try again in a moment', { 'Retry-After': '5' });
  if (error instanceof URIError) return new HttpError(400, 'Invalid data');
  if (typeof code === 'string' && DATABASE_BUSY.test(code)) return new HttpError(503, 'The server is busy, try again in a moment', { 'Retry-After': '1' });
  // Tokens already issued keep working meanwhile: /verify reads no database.
  if (isDatabaseUnreachable(error)) return new HttpError(503, 'The database is not answering: tokens cannot be issued or changed right now, try again in a moment', { 'Retry-After': '5' });
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status, 'Invalid data');
  return new HttpError(500, 'Internal error');
}

/** Marks a router's responses as pages: its errors render as HTML instead of JSON. */
export const servesPages: RequestHandler = (_req, res, next) => {
  res.locals.page = true;
  next();
};

export const notFound: RequestHandler = () => {
  throw new NotFound();
};

/** The one place where errors become responses: HTML for pages, `{message}` JSON for the API. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const httpError = toHttpError(error);
    if (httpError.status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(httpError.status).set(httpError.headers).set('Cache-Control', 'no-store');
    if (res.locals.page) res.render('error', { status: httpError.status, message: httpError.publicMessage });
    else res.json({ message: httpError.publicMessage });
  };
}

/** `/verify` runs outside Express; when it throws it still answers (no body, so Nginx fails closed) and logs. */
export function verifyFailureHandler(logger: Logger): (error: unknown, res: ServerResponse) => void {
  return (error, res) => {
    const httpError = toHttpError(error);
    logger.error({ err: error, path: '/verify' }, 'request failed');
    if (res.headersSent) return void res.destroy();
    res.writeHead(httpError.status, { ...httpError.headers, 'Cache-Control': 'no-store', 'Content-Length': '0' }).end();
  };
}
