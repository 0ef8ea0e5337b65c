import { HttpError } from '../errors';
import type { Logger } from '../logger';
import { ProviderUnavailable, SignInCancelled, SignInNotVerified } from './errors';

/** What passport-openidconnect reported when it did not yield a user. */
export interface OidcFailure {
  /** Its `error(...)`: a thrown error, a provider error response, a failed token exchange. */
  error?: unknown;
  /** Its `fail(...)` challenge: a failed state, issuer, audience or nonce check. */
  info?: { message?: string };
  /** The `error` parameter of the provider's redirect back, if any. */
  providerError?: unknown;
}

/**
 * Turns a failed flow into the page the user sees, and logs why for the operator: the page never
 * says which check failed, the log does.
 */
export function signInError(failure: OidcFailure, providerName: string, logger: Logger): HttpError {
  const refused = refusal(failure, providerName);
  if (refused instanceof SignInNotVerified) logger.warn({ reason: refused.reason }, 'OIDC sign-in refused');
  if (refused) return refused;
  logger.error({ err: failure.error }, 'OIDC sign-in failed at the provider');
  return new ProviderUnavailable(providerName);
}

/** Our own errors pass through, a spent or expired code is a flow that cannot be verified; undefined for a provider gone wrong. */
function refusal({ error, info, providerError }: OidcFailure, providerName: string): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'TokenError' && code === 'invalid_grant') return new SignInNotVerified('the provider refused the code (expired or already used)');
  if (error) return undefined;
  if (providerError === 'access_denied') return new SignInCancelled(providerName);
  return new SignInNotVerified(info?.message ?? 'the flow failed a check');
}
