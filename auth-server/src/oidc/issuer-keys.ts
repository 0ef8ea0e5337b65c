import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { fetchJson } from './fetch-json';

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), use: z.string().optional() })) });

/** The provider's ID token signing keys (its JWKS): fetched on first use, and again when a token names a key not seen yet (rotation). */
export class IssuerKeys {
  private keys = new Map<string, KeyObject>();

  constructor(private readonly jwksUri: string) {}

  async key(kid: string | undefined): Promise<KeyObject | undefined> {
    const known = this.find(kid);
    if (known) return known;
    await this.refresh();
    return this.find(kid);
  }

  /** A token without `kid` is accepted only when the provider publishes a single key. */
  private find(kid: string | undefined): KeyObject | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private async refresh(): Promise<void> {
    const { keys } = jwksSchema.parse(await fetchJson(this.jwksUri));
    const signing = new Map<string, KeyObject>();
    for (const jwk of keys) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      try {
        signing.set(jwk.kid ?? '', createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
      } catch {
        // A key type Node cannot import cannot have signed a token we accept either.
      }
    }
    this.keys = signing;
  }
}
