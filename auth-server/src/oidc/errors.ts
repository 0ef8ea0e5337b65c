import { HttpError } from '../errors';

/** The provider could not be reached, or failed to answer as OpenID Connect says (discovery, token, keys, userinfo). */
export class ProviderUnavailable extends HttpError {
  constructor(providerName: string) {
    super(502, `Signing in with ${providerName} is not possible right now: it could not be reached or did not answer as expected. Try again later, or sign in with your username and password.`);
  }
}

/**
 * The answer that came back failed a check (state, nonce, issuer, audience, signature) or the flow expired.
 * `reason` is for the log only: the page never says which check failed.
 */
export class SignInNotVerified extends HttpError {
  constructor(readonly reason: string) {
    super(403, 'This sign-in could not be completed: it expired, was started in another browser or tab, or the answer from the sign-in provider did not pass our checks. Start again from your viewer.');
  }
}

export class SignInCancelled extends HttpError {
  constructor(providerName: string) {
    super(403, `Signing in with ${providerName} was cancelled or refused.`);
  }
}

/** The provider's account cannot become a pacsgate user (no usable username, or it belongs to someone else). */
export class AccountNotUsable extends HttpError {
  constructor(message: string) {
    super(403, message);
  }
}

/** The viewer's sign-in link is too long to carry through the provider in the state cookie. */
export class SignInLinkTooLong extends HttpError {
  constructor() {
    super(400, 'This sign-in link is too long to carry through the sign-in provider. Sign in with your username and password instead.');
  }
}
