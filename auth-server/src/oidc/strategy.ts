import OpenIDConnectStrategy from 'passport-openidconnect';
import type { UserRecord } from '../store/store';
import type { ProviderMetadata } from './discovery';
import type { StateCookieStore } from './state-cookie';

/** passport-openidconnect types the tokens as string or object; only a string is a token. */
const textOf = (value: string | object): string => (typeof value === 'string' ? value : '');

export interface StrategyParams {
  metadata: ProviderMetadata;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  stateStore: StateCookieStore;
  signIn: (idToken: string, accessToken: string) => Promise<UserRecord>;
}

/** passport-openidconnect 0.1.2 for the discovered provider: authorization-code flow, state and nonce checked. */
export function createOidcStrategy(params: StrategyParams): OpenIDConnectStrategy {
  const { metadata } = params;
  return new OpenIDConnectStrategy(
    {
      issuer: metadata.issuer,
      authorizationURL: metadata.authorization_endpoint,
      tokenURL: metadata.token_endpoint,
      userInfoURL: metadata.userinfo_endpoint ?? '',
      clientID: params.clientId,
      clientSecret: params.clientSecret,
      callbackURL: params.callbackUrl,
      scope: ['profile', 'email'],
      // 0.1.2 only tests this for truth: it then sends a fresh random nonce with every authorization
      // request, keeps it in the state store and refuses an ID token that does not carry it back.
      nonce: 'fresh per request',
      // We fetch UserInfo ourselves when the ID token lacks claims: 0.1.2's own fetch throws an
      // uncaught ReferenceError (a crash) on a non-JSON answer.
      skipUserProfile: true,
      store: params.stateStore,
    },
    // 0.1.2 picks the arguments by this function's arity: seven gives (issuer, profile, context, idToken, accessToken, refreshToken, done).
    (_issuer: string, _profile: unknown, _context: object, idToken: string | object, accessToken: string | object, _refreshToken: string, done: OpenIDConnectStrategy.VerifyCallback) => {
      params.signIn(textOf(idToken), textOf(accessToken)).then((user) => done(null, user), (error: Error) => done(error));
    },
  );
}
