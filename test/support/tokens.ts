import { TEST_ADMIN_PASSWORD } from './test-stack';
import { bearer, GateClient } from './gate-client';

export interface TestUser {
  username: string;
  canEdit: boolean;
  userPassword?: string;
}

/** A one-off auth token from the admin API, creating the user when needed. */
export async function issueAuthToken(client: GateClient, user: TestUser): Promise<string> {
  const response = await client.postJson('/auth/generate-token', {
    name: `Test ${user.username}`,
    username: user.username,
    password: TEST_ADMIN_PASSWORD,
    canEditResource: user.canEdit,
    createUserIfNotExists: true,
    ...(user.userPassword && { userPassword: user.userPassword }),
  });
  if (response.status !== 200) throw new Error(`generate-token answered ${response.status}: ${response.text}`);
  return (JSON.parse(response.text) as { token: string }).token;
}

/** Spends an auth token for an access token, as a viewer does. */
export async function exchangeForAccessToken(client: GateClient, authToken: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await client.send('POST', '/auth/generate-access-token', { headers: { ...bearer(authToken), ...headers } });
  const authorization = response.headers.authorization;
  if (response.status !== 200 || !authorization) throw new Error(`generate-access-token answered ${response.status}: ${response.text}`);
  return authorization.replace(/^Bearer /, '');
}

export async function issueAccessToken(client: GateClient, user: TestUser): Promise<string> {
  return exchangeForAccessToken(client, await issueAuthToken(client, user));
}
