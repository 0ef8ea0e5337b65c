import type { Config, OidcConfig } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { OidcProvider } from './provider';
import type { StateCookieStore } from './state-cookie';
import { createOidcStrategy } from './strategy';
import { userFromTokens } from './user-from-tokens';

export interface ProviderDeps {
  config: Pick<Config, 'publicUrl'>;
  oidc: OidcConfig;
  services: Services;
  logger: Logger;
}

/** The configured provider, whose strategy turns each verified sign-in into a pacsgate user. */
export function configuredProvider(deps: ProviderDeps, stateStore: StateCookieStore): OidcProvider {
  const { config, oidc, services, logger } = deps;
  return new OidcProvider(
    oidc,
    (discovered) =>
      createOidcStrategy({
        metadata: discovered.metadata,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        // The redirect URI registered at the provider: from the public URL, never from request headers.
        callbackUrl: `${config.publicUrl}/auth/oidc/callback`,
        stateStore,
        signIn: (idToken, accessToken) => userFromTokens({ oidc, store: services.store, clock: services.clock, ...discovered }, idToken, accessToken),
      }),
    services.clock,
    logger,
  );
}
