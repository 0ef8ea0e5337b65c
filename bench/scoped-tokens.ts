import { randomUUID } from 'node:crypto';
import { epochSeconds, systemClock } from '../auth-server/src/clock';
import type { AccessTokenClaims, ShareTokenClaims } from '../auth-server/src/tokens/claims';
import { loadConfig } from '../auth-server/src/config';
import { openKeyring } from '../auth-server/src/keys/rotation';
import { TokenCodec } from '../auth-server/src/tokens/codec';

export interface ScopedTokenSpec {
  scope: string[];
  /** The family revoking must find: that of a session issued the usual way. */
  family: string;
  canEdit?: boolean;
  /** Seconds from `now`. */
  lifetime?: number;
  now?: number;
}

/** The family (`fam`) of one of our access tokens, read without checking it. */
export function familyOf(accessToken: string): string {
  return (JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as { fam: string }).fam;
}

/** Signs scoped tokens with the server's own key, as share links and /open will. */
export class ScopedTokenSigner {
  constructor(
    private readonly codec: TokenCodec,
    private readonly issuer: string,
  ) {}

  /** A study-scoped access token, as a share link's /open mints them. */
  access(spec: ScopedTokenSpec): string {
    return this.codec.sign<'access'>({ type: 'access', ...this.common(spec) } satisfies AccessTokenClaims);
  }

  /** A share link's own token. */
  share(spec: ScopedTokenSpec & { pin?: boolean }): string {
    return this.codec.sign<'share'>({ type: 'share', pin: spec.pin ?? false, ...this.common(spec) } satisfies ShareTokenClaims);
  }

  private common(spec: ScopedTokenSpec) {
    const now = spec.now ?? epochSeconds(systemClock);
    return {
      jti: randomUUID(),
      sub: 'share:test',
      iss: this.issuer,
      iat: now,
      exp: now + (spec.lifetime ?? 3600),
      name: 'Test link',
      username: 'link-maker',
      canEditResource: spec.canEdit ?? false,
      fam: spec.family,
      scope: spec.scope,
    };
  }
}

/** A signer with the key of a running stack's auth server (read from its config dir), for tests and the benchmark. */
export function stackSigner(configDir: string, publicUrl: string): ScopedTokenSigner {
  const config = loadConfig({ PACSGATE_CONFIG_DIR: configDir, PACSGATE_PUBLIC_URL: publicUrl });
  const { keyring } = openKeyring(configDir, config.ttl, epochSeconds(systemClock));
  return new ScopedTokenSigner(new TokenCodec(keyring, config.issuer), config.issuer);
}
