import { z } from 'zod';
import { BadRequest } from '../errors';
import type { AllowedOrigins } from '../origins/allowed-origins';

/** The viewer's `response_type`: `{"type":"authToken","returnParams":{...}}`, echoed back in `state`. */
const responseType = z.object({
  type: z.literal('authToken').optional(),
  returnParams: z.record(z.string(), z.unknown()).optional(),
});

export interface SignInTarget {
  returnUri: URL;
  returnParams: Record<string, unknown>;
}

/** Checks `return_uri` against the sign-in targets and parses `response_type`; anything else is a 400. */
export function parseSignInTarget(targets: AllowedOrigins, returnUri: unknown, responseTypeJson: unknown): SignInTarget {
  const url = typeof returnUri === 'string' ? targets.allowedUrl(returnUri) : undefined;
  if (!url) throw new BadRequest('This sign-in link does not come from an allowed viewer (return_uri is missing or not on the allowed list).');
  if (responseTypeJson === undefined || responseTypeJson === '') return { returnUri: url, returnParams: {} };
  try {
    if (typeof responseTypeJson !== 'string' || responseTypeJson.length > 2048) throw new Error('too long');
    return { returnUri: url, returnParams: responseType.parse(JSON.parse(responseTypeJson)).returnParams ?? {} };
  } catch {
    throw new BadRequest('This sign-in link carries an invalid response_type.');
  }
}

/** `return_uri?token=…&state=…`, as the zhiva viewer expects it. */
export function viewerRedirect(target: SignInTarget, token: string): string {
  const url = new URL(target.returnUri);
  url.searchParams.set('token', token);
  url.searchParams.set('state', JSON.stringify({ context: 'zhiva_auth', state: '', params: target.returnParams }));
  return url.toString();
}
