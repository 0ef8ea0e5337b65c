import type { AccessTokenClaims } from '../tokens/claims';
import { TokenMemo } from './token-memo';

/**
 * Access tokens whose signature was already checked, keyed by the exact token text. A viewer sends
 * the same token for hundreds of requests; this skips the RSA verification after the first.
 * Expiry and revocation are still checked on every request by the caller.
 */
export class VerifiedTokens extends TokenMemo<AccessTokenClaims> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}
