import { type Clock, epochSeconds } from '../clock';
import type { OidcConfig } from '../config';
import type { Store, UserRecord } from '../store/store';
import { accountFromClaims, needsUserinfo } from './account';
import type { ProviderMetadata } from './discovery';
import { type IssuerKeys, verifyIdToken } from './id-token';
import { saveOidcUser } from './save-user';
import { fetchUserinfo } from './userinfo';

export interface UserFromTokensDeps {
  oidc: OidcConfig;
  store: Store;
  clock: Clock;
  metadata: ProviderMetadata;
  keys: IssuerKeys;
}

/** The pacsgate user for a verified ID token, with UserInfo filling in what the ID token leaves out. */
export async function userFromTokens(deps: UserFromTokensDeps, idToken: string, accessToken: string): Promise<UserRecord> {
  const { oidc, metadata } = deps;
  const now = epochSeconds(deps.clock);
  const idClaims = await verifyIdToken(idToken, deps.keys, { issuer: metadata.issuer, clientId: oidc.clientId, nowSeconds: now });
  const userinfo = metadata.userinfo_endpoint && needsUserinfo(idClaims, oidc.groupsClaim)
    ? await fetchUserinfo(metadata.userinfo_endpoint, accessToken, idClaims.sub)
    : {};
  // The signed ID token wins over UserInfo wherever both speak.
  return saveOidcUser(deps.store, accountFromClaims({ ...userinfo, ...idClaims }, oidc), oidc.name, now);
}
