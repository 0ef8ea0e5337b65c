import { epochSeconds } from '../../auth-server/src/clock';
import type { UserRecord } from '../../auth-server/src/store/store';
import { exchangeAuthToken } from '../../auth-server/src/tokens/exchange';
import { issueAuthToken, type TokenPair } from '../../auth-server/src/tokens/issue';
import { uniqueUsername, type UserSpec } from './api';
import type { TestApp } from './test-app';

/** Domain-level shortcuts for unit tests: no HTTP, straight to the store and the token functions. */

export const nowOf = (t: TestApp) => epochSeconds(t.clock);

export function addUser(t: TestApp, spec: UserSpec = {}): Promise<UserRecord> {
  return t.store.users.upsert(
    {
      username: spec.username ?? uniqueUsername(),
      name: spec.name ?? 'Unit User',
      canEditResource: spec.canEditResource ?? false,
      passwordHash: null,
      oidcIssuer: null,
      oidcSubject: null,
    },
    nowOf(t),
  );
}

export const authTokenFor = (t: TestApp, user: UserRecord, audience?: string): Promise<string> =>
  issueAuthToken(t.app.services, user, nowOf(t), audience);

export const pairFor = async (t: TestApp, user: UserRecord, audience?: string): Promise<TokenPair> =>
  exchangeAuthToken(t.app.services, await authTokenFor(t, user, audience), audience);
