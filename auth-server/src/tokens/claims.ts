/** What each token carries. `type` says which kind it is, so one can never stand in for another. */

export type TokenType = 'auth' | 'access' | 'refresh' | 'share';

export interface UserClaims {
  name: string;
  username: string;
  canEditResource: boolean;
}

interface RegisteredClaims {
  type: TokenType;
  jti: string;
  /** The user's id in our store. */
  sub: string;
  iss: string;
  iat: number;
  exp: number;
  /** The viewer origin the token was issued for, when it came from a viewer's sign-in. */
  aud?: string;
}

export interface AuthTokenClaims extends RegisteredClaims, UserClaims {
  type: 'auth';
  tokenServer: string;
  refreshServer: string;
  pacs: string;
}

export interface AccessTokenClaims extends RegisteredClaims, UserClaims {
  type: 'access';
  /** The token family: revoking it revokes this token and every one rotated from the same sign-in. */
  fam: string;
  /** The StudyInstanceUIDs the token may reach; absent = the whole PACS. A share link's browser token carries one. */
  scope?: string[];
}

export interface RefreshTokenClaims extends RegisteredClaims {
  type: 'refresh';
  fam: string;
}

/**
 * A share link: opens only `scope`, read-only unless `canEditResource`. `fam` is the link's id, so
 * revoking the link refuses it and every access token /open minted from it. `name` is the link's
 * label and `username` who created it, so audit lines read well. With `pin`, only the PIN page
 * turns it into access.
 */
export interface ShareTokenClaims extends RegisteredClaims, UserClaims {
  type: 'share';
  fam: string;
  scope: string[];
  pin: boolean;
}

export interface ClaimsByType {
  auth: AuthTokenClaims;
  access: AccessTokenClaims;
  refresh: RefreshTokenClaims;
  share: ShareTokenClaims;
}

/** JWT header `typ` of a token that carries a scope, so Nginx can key its auth cache by URI for it without decoding. */
export const SCOPED_TOKEN_TYP = 'pacsgate-scoped';

export function isScoped(claims: ClaimsByType[TokenType]): boolean {
  return 'scope' in claims && Array.isArray(claims.scope);
}
