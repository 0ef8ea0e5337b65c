import { z } from 'zod';
import { fetchJson } from './fetch-json';

const metadataSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});

export type ProviderMetadata = z.infer<typeof metadataSchema>;

/**
 * Fetches the provider's OpenID Connect discovery document. It must name the issuer it was fetched
 * for (Discovery 1.0 §4.3); its spelling, trailing slash included, is what ID tokens must carry.
 */
export async function discoverProvider(issuer: string): Promise<ProviderMetadata> {
  const base = issuer.replace(/\/+$/, '');
  const metadata = metadataSchema.parse(await fetchJson(`${base}/.well-known/openid-configuration`));
  if (metadata.issuer.replace(/\/+$/, '') !== base) throw new Error(`discovery document names issuer ${metadata.issuer}, not ${issuer}`);
  return metadata;
}
