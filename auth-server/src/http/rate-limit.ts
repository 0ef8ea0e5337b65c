import type { RequestHandler } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { TooManyRequests } from '../errors';

/**
 * Limits failed attempts per client address (successful ones do not count), answering 429 with
 * Retry-After. Behind Nginx the address comes from X-Forwarded-For (trust proxy: loopback).
 */
export function failedAttemptLimit(windowSeconds: number, attempts: number): RequestHandler {
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: attempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + windowSeconds * 1000;
      next(new TooManyRequests(Math.max(1, Math.ceil((resetTime - Date.now()) / 1000))));
    },
  });
}
