import type { ClaimsByType, TokenType } from '../tokens/claims';
import { TokenMemo } from './token-memo';

/**
 * Tokens whose signature was already checked, whatever their type, keyed by the exact token text.
 * A viewer sends the same token for hundreds of requests; this skips the RSA verification after
 * the first. Expiry, type and revocation are still checked on every request by the caller.
 */
export class VerifiedTokens extends TokenMemo<ClaimsByType[TokenType]> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}
