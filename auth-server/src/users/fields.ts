import { z } from 'zod';

/** Usernames are identifiers people type: letters, digits and a few separators (e-mail addresses fit). */
export const usernameField = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/);

/** Display names: any printable text, no control characters. */
export const nameField = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Cs}]+$/u);

/** bcrypt reads only 72 bytes; longer secrets would silently share a hash. */
export const passwordField = z.string().min(1).refine((value) => Buffer.byteLength(value) <= 72, 'at most 72 bytes');
