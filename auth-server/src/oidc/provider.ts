import { Passport } from 'passport';
import type OpenIDConnectStrategy from 'passport-openidconnect';
import type { Clock } from '../clock';
import type { OidcConfig } from '../config';
import type { Logger } from '../logger';
import { type ProviderMetadata, discoverProvider } from './discovery';
import { ProviderUnavailable } from './errors';
import { type IssuerKeys, issuerKeys } from './id-token';

const DISCOVERY_TTL_MS = 10 * 60_000;
export const STRATEGY_NAME = 'pacsgate-oidc';

export interface DiscoveredProvider {
  metadata: ProviderMetadata;
  keys: IssuerKeys;
}

/**
 * The configured provider, discovered on first use and again every ten minutes rather than at start:
 * pacsgate starts, and the password form works, while the provider is down. Each discovery registers a
 * fresh strategy by name; passport then gives every request its own copy (given a strategy object
 * instead, it would share its success/fail callbacks between concurrent requests).
 */
export class OidcProvider {
  readonly passport = new Passport();
  private current?: { until: number; discovered: Promise<DiscoveredProvider> };

  constructor(
    private readonly oidc: OidcConfig,
    private readonly strategyFor: (provider: DiscoveredProvider) => OpenIDConnectStrategy,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Concurrent callers share one discovery; a failed one is forgotten, so the next sign-in tries again. */
  ready(): Promise<DiscoveredProvider> {
    const now = this.clock.now();
    if (!this.current || this.current.until <= now) {
      const discovered = this.discover();
      this.current = { until: now + DISCOVERY_TTL_MS, discovered };
      discovered.catch(() => {
        if (this.current?.discovered === discovered) this.current = undefined;
      });
    }
    return this.current.discovered;
  }

  private async discover(): Promise<DiscoveredProvider> {
    let metadata: ProviderMetadata;
    try {
      metadata = await discoverProvider(this.oidc.issuer);
    } catch (error) {
      this.logger.warn({ err: error, issuer: this.oidc.issuer }, 'OpenID Connect discovery failed');
      throw new ProviderUnavailable(this.oidc.name);
    }
    const provider = { metadata, keys: issuerKeys(metadata.jwks_uri) };
    this.passport.use(STRATEGY_NAME, this.strategyFor(provider));
    return provider;
  }
}
