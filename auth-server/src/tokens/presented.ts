import type { AccessTokenClaims, ClaimsByType, ShareTokenClaims, TokenType } from './claims';
import type { TokenCodec } from './codec';

/** What a PACS request may present: an access token, or a share link's token used directly. */
export type PresentedClaims = AccessTokenClaims | ShareTokenClaims;

export type NotPresentable = 'invalid' | 'pin-required';

/**
 * Whether decoded claims may open the PACS (/verify, /pacs-auth). A share token stands for access
 * unless its link has a PIN: then only the PIN page turns it into access. Any other type is invalid.
 */
export function presentable(claims: ClaimsByType[TokenType]): PresentedClaims | NotPresentable {
  if (claims.type === 'access') return claims;
  if (claims.type !== 'share') return 'invalid';
  return claims.pin ? 'pin-required' : claims;
}

/** Decodes a token presented to the PACS: signature, issuer, lifetime, then `presentable`. */
export function decodePresented(codec: TokenCodec, token: string, nowSeconds: number): PresentedClaims | null {
  const decoded = codec.decodeAny(token, nowSeconds);
  const claims = decoded.ok ? presentable(decoded.claims) : null;
  return typeof claims === 'string' ? null : claims;
}
