/** What each token carries. `type` says which kind it is, so one can never stand in for another. */

export type TokenType = 'auth' | 'access' | 'refresh';

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
}

export interface RefreshTokenClaims extends RegisteredClaims {
  type: 'refresh';
  fam: string;
}

export interface ClaimsByType {
  auth: AuthTokenClaims;
  access: AccessTokenClaims;
  refresh: RefreshTokenClaims;
}
