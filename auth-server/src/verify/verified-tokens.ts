import type { PresentedClaims } from '../tokens/presented';
import { TokenMemo } from './token-memo';

/**
 * Access tokens (and share tokens used as such) whose signature was already checked, keyed by the
 * exact token text. A viewer sends the same token for hundreds of requests; this skips the RSA
 * verification after the first.
 * Expiry and revocation are still checked on every request by the caller.
 */
export class VerifiedTokens extends TokenMemo<PresentedClaims> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}
