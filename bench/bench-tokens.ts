import { loopbackRequest } from './loopback-request';

/** An access token for a new user, obtained the way a client does: admin API, then exchange. */
export async function issueAccessToken(gateUrl: string, adminPassword: string, username: string, canEditResource: boolean): Promise<string> {
  const issued = await loopbackRequest(`${gateUrl}/auth/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: username, username, password: adminPassword, canEditResource, createUserIfNotExists: true }),
  });
  if (issued.status !== 200) throw new Error(`generate-token answered ${issued.status}: ${issued.body.toString()}`);
  const authToken = (JSON.parse(issued.body.toString()) as { token: string }).token;
  const exchanged = await loopbackRequest(`${gateUrl}/auth/generate-access-token`, { method: 'POST', headers: { Authorization: `Bearer ${authToken}` } });
  const header = exchanged.headers.authorization;
  if (exchanged.status !== 200 || !header) throw new Error(`generate-access-token answered ${exchanged.status}: ${exchanged.body.toString()}`);
  return header.replace(/^Bearer /, '');
}

/**
 * The same token with one signature character changed: well formed, our `kid`, a bad signature.
 * A middle character, because the last one of a base64url signature may carry only padding bits.
 */
export function withBadSignature(token: string): string {
  const signatureStart = token.lastIndexOf('.') + 1;
  const at = signatureStart + Math.floor((token.length - signatureStart) / 2);
  const replacement = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`;
}
