import type { AccessTokenClaims, ShareTokenClaims } from './claims';
import type { TokenCodec, TokenFailure } from './codec';

/** What a PACS request may present: an access token, or a share link's token used directly. */
export type PresentedClaims = AccessTokenClaims | ShareTokenClaims;

export type PresentedFailure = TokenFailure | 'pin-required';

/**
 * Decodes a token presented to the PACS (/verify, /pacs-auth). A share token stands for access
 * unless its link has a PIN: then only the PIN page turns it into access. Any other type is invalid.
 */
export function decodePresented(codec: TokenCodec, token: string, nowSeconds: number): { ok: true; claims: PresentedClaims } | { ok: false; failure: PresentedFailure } {
  const decoded = codec.decodeAny(token, nowSeconds);
  if (!decoded.ok) return decoded;
  const { claims } = decoded;
  if (claims.type === 'access') return { ok: true, claims };
  if (claims.type !== 'share') return { ok: false, failure: 'invalid' };
  return claims.pin ? { ok: false, failure: 'pin-required' } : { ok: true, claims };
}
