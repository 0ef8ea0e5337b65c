import type { AllowedOrigins } from '../origins/allowed-origins';
import { parseSignInTarget, type SignInTarget } from '../signin/return-uri';

/** The sign-in page's query for a checked target: the form the OIDC flow carries through the provider and back. */
export function signInQuery(target: SignInTarget): string {
  const query = new URLSearchParams({ return_uri: target.returnUri.toString() });
  if (Object.keys(target.returnParams).length > 0) query.set('response_type', JSON.stringify({ type: 'authToken', returnParams: target.returnParams }));
  return query.toString();
}

/** Checks a carried query again, as if it came straight from the viewer: the allowed origins may have changed meanwhile. */
export function targetFromQuery(targets: AllowedOrigins, query: string): SignInTarget {
  const params = new URLSearchParams(query);
  return parseSignInTarget(targets, params.get('return_uri') ?? undefined, params.get('response_type') ?? undefined);
}
