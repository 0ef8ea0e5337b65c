import jwt from 'jsonwebtoken';
import type { IssuerKeys } from './issuer-keys';
import { SignInNotVerified } from './errors';

/** Asymmetric algorithms only: `none` and HMAC (keyed with the client secret) are refused. */
const ALGORITHMS: jwt.Algorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const CLOCK_TOLERANCE_SECONDS = 60;

export type Claims = Record<string, unknown>;

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nowSeconds: number;
}

/**
 * Checks the ID token's signature against the provider's published keys, with its issuer, audience and
 * lifetime. passport-openidconnect 0.1.2 checks the claims but leaves the signature out of scope.
 */
export async function verifyIdToken(idToken: string, keys: IssuerKeys, expected: IdTokenExpectations): Promise<Claims> {
  const decoded = jwt.decode(idToken, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw new SignInNotVerified('the ID token is not a JWT');
  const key = await keys.key(decoded.header.kid);
  if (!key) throw new SignInNotVerified(`the ID token names signing key ${decoded.header.kid ?? '(none)'}, which the provider does not publish`);
  try {
    return jwt.verify(idToken, key, {
      algorithms: ALGORITHMS,
      issuer: expected.issuer,
      audience: expected.clientId,
      clockTimestamp: expected.nowSeconds,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }) as Claims;
  } catch (error) {
    throw new SignInNotVerified(`ID token refused: ${(error as Error).message}`);
  }
}
