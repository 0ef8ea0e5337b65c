import type { RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { TooManyRequests } from '../errors';

const FAILED_ATTEMPT = 'pacsgateFailedAttempt';

/**
 * Marks this request a failed attempt: a wrong admin password, or a wrong user password on sign-in.
 * Only such requests count against the limit; a validation error or "User already exists" is not
 * guessing, and ten of them must not lock an admin out.
 */
export function countAsFailedAttempt(res: Response): void {
  res.locals[FAILED_ATTEMPT] = true;
}

/**
 * Limits failed attempts (see countAsFailedAttempt) per client address, answering 429 with
 * Retry-After and calling `onLimited` (the metrics). Behind Nginx the address comes from
 * X-Forwarded-For (trust proxy: loopback).
 */
export function failedAttemptLimit(windowSeconds: number, attempts: number, onLimited: () => void): RequestHandler {
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: attempts,
    // Each request counts on arrival and is taken back when it ends as anything but a failed attempt.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.locals[FAILED_ATTEMPT] !== true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, _res, next) => {
      onLimited();
      const resetTime = (req as { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + windowSeconds * 1000;
      next(new TooManyRequests(Math.max(1, Math.ceil((resetTime - Date.now()) / 1000))));
    },
  });
}
