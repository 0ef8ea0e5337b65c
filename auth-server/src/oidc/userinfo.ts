import { z } from 'zod';
import type { Claims } from './id-token';
import { SignInNotVerified } from './errors';
import { fetchJson } from './fetch-json';

const claimsSchema = z.record(z.string(), z.unknown());

/** The UserInfo endpoint's claims; they must be about the ID token's subject (OpenID Connect Core §5.3.4). */
export async function fetchUserinfo(endpoint: string, accessToken: string, subject: unknown): Promise<Claims> {
  const claims = claimsSchema.parse(await fetchJson(endpoint, { authorization: `Bearer ${accessToken}` }));
  if (claims.sub !== subject) throw new SignInNotVerified('the UserInfo response is about another subject than the ID token');
  return claims;
}
