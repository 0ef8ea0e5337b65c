import type { AccessTokenClaims } from '../tokens/claims';

/**
 * Access tokens whose signature was already checked, keyed by the exact token text. A viewer sends
 * the same token for hundreds of requests; this skips the RSA verification after the first.
 * Expiry and revocation are still checked on every request by the caller.
 */
export class VerifiedTokens {
  private readonly claimsByToken = new Map<string, AccessTokenClaims>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string): AccessTokenClaims | undefined {
    return this.claimsByToken.get(token);
  }

  remember(token: string, claims: AccessTokenClaims): void {
    if (this.claimsByToken.size >= this.capacity) {
      // Oldest first: Map iterates in insertion order.
      this.claimsByToken.delete(this.claimsByToken.keys().next().value as string);
    }
    this.claimsByToken.set(token, claims);
  }
}
