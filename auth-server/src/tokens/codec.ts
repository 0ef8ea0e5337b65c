import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { type Keyring, SIGNING_ALGORITHM } from '../keys/keyring';
import { type ClaimsByType, isScoped, SCOPED_TOKEN_TYP, type TokenType } from './claims';

/** Why a token was refused; `expired` is told apart because the contract answers it differently. */
export type TokenFailure = 'malformed' | 'expired' | 'invalid';

export type Decoded<T extends TokenType> = { ok: true; claims: ClaimsByType[T] } | { ok: false; failure: TokenFailure };

const ALGORITHMS: jwt.Algorithm[] = [SIGNING_ALGORITHM];
const MAX_TOKEN_LENGTH = 8192;
const TOKEN_TYPES: ReadonlySet<unknown> = new Set<TokenType>(['auth', 'access', 'refresh', 'share']);

/**
 * What every scoped token starts with: the base64url of its header's first whole 3-byte groups,
 * `{"alg":"RS256","typ":"pacsgate-scope`. Nginx keys its auth cache by URI when it sees this.
 */
const SCOPED_HEADER_START = `{"alg":"${SIGNING_ALGORITHM}","typ":"${SCOPED_TOKEN_TYP}"`;
export const SCOPED_TOKEN_MARK = Buffer.from(SCOPED_HEADER_START.slice(0, SCOPED_HEADER_START.length - (SCOPED_HEADER_START.length % 3))).toString('base64url');

/** The `kid` of a compact JWT's header, read without trusting anything else in it. */
function headerKid(token: string): string | undefined {
  const end = token.indexOf('.');
  if (end <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, end), 'base64url').toString('utf8'));
    const kid = (header as { kid?: unknown }).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** Signs and checks our JWTs: RS256 only, key chosen by `kid` among our own keys, issuer and type checked. */
export class TokenCodec {
  /**
   * `lookForKey` is asked when a token names a kid the keyring lacks, before the token is refused:
   * another replica may have rotated a moment ago (keys/keyring-watcher.ts, rate-limited there).
   */
  constructor(
    private readonly keyring: Keyring,
    private readonly issuer: string,
    private readonly lookForKey: () => void = () => undefined,
  ) {}

  sign<T extends TokenType>(claims: ClaimsByType[T]): string {
    const { privateKey, kid } = this.keyring.current;
    const scopedHeader = isScoped(claims) && { header: { alg: SIGNING_ALGORITHM, typ: SCOPED_TOKEN_TYP } };
    return jwt.sign(claims, privateKey, { algorithm: SIGNING_ALGORITHM, keyid: kid, ...scopedHeader });
  }

  decode<T extends TokenType>(token: string, type: T, nowSeconds: number): Decoded<T> {
    const decoded = this.decodeAny(token, nowSeconds);
    if (!decoded.ok) return decoded;
    return decoded.claims.type === type ? (decoded as Decoded<T>) : { ok: false, failure: 'invalid' };
  }

  private publicKey(kid: string): KeyObject | undefined {
    const known = this.keyring.publicKey(kid);
    if (known) return known;
    this.lookForKey();
    return this.keyring.publicKey(kid);
  }

  /** Checks signature, issuer and lifetime, whatever the token's type. */
  decodeAny(token: string, nowSeconds: number): Decoded<TokenType> {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, failure: 'malformed' };
    const kid = headerKid(token);
    const key = kid === undefined ? undefined : this.publicKey(kid);
    if (!key) return { ok: false, failure: 'malformed' };
    try {
      const claims = jwt.verify(token, key, { algorithms: ALGORITHMS, issuer: this.issuer, clockTimestamp: nowSeconds }) as ClaimsByType[TokenType];
      return TOKEN_TYPES.has(claims.type) && typeof claims.jti === 'string' && typeof claims.sub === 'string'
        ? { ok: true, claims }
        : { ok: false, failure: 'invalid' };
    } catch (error) {
      return { ok: false, failure: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
  }
}
