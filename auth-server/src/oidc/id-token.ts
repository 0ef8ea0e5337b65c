import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { SignInNotVerified } from './errors';

/** Asymmetric algorithms only: `none` and HMAC (keyed with the client secret) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const CLOCK_TOLERANCE_SECONDS = 60;
const JWKS_TIMEOUT_MS = 5000;
/** The provider's fault, not the token's: its key set could not be fetched or read. */
const PROVIDER_FAILURES = new Set([errors.JOSEError.code, errors.JWKSTimeout.code, errors.JWKSInvalid.code]);

/** Why a token was refused, for the log, in words of our own where jose's name its internals. */
const REFUSAL_REASONS: Record<string, string> = {
  [errors.JWSSignatureVerificationFailed.code]: 'invalid signature',
  [errors.JWKSNoMatchingKey.code]: 'signed with a key the provider does not publish',
  [errors.JOSEAlgNotAllowed.code]: 'not signed with an asymmetric algorithm',
};

export type Claims = JWTPayload & Record<string, unknown>;

/**
 * The provider's ID token signing keys (its JWKS), fetched on first use and again when a token
 * names a key not seen yet (rotation), at most every 30 s.
 */
export type IssuerKeys = ReturnType<typeof createRemoteJWKSet>;

export const issuerKeys = (jwksUri: string): IssuerKeys => createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: JWKS_TIMEOUT_MS });

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
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      algorithms: ALGORITHMS,
      issuer: expected.issuer,
      audience: expected.clientId,
      currentDate: new Date(expected.nowSeconds * 1000),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return payload;
  } catch (error) {
    if (!(error instanceof errors.JOSEError) || PROVIDER_FAILURES.has(error.code)) throw error;
    throw new SignInNotVerified(`ID token refused: ${REFUSAL_REASONS[error.code] ?? error.message}`);
  }
}
