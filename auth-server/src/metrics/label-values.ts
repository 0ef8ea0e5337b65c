import type { AuditEvent, IssuedKind, RefusalReason, RevocationReason } from '../audit/events';

/**
 * Every value a label can take, fixed here so the number of series is bounded (a username, token,
 * URI or link id never becomes a label) and every series exists from the start at 0. Written as
 * records over the audit unions: a value added there does not compile until it is listed here.
 */
const keysOf = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[];

export const REFUSAL_REASONS = keysOf<RefusalReason>({
  'no-token': true,
  malformed: true,
  expired: true,
  invalid: true,
  revoked: true,
  'wrong-audience': true,
  'query-token-unusable': true,
  'query-token-spelling': true,
  'read-only': true,
  'untrusted-origin': true,
  'out-of-scope': true,
  'pin-required': true,
  'orthanc-unavailable': true,
});

export const ISSUED_KINDS = keysOf<IssuedKind>({ auth: true, access: true, refresh: true });

type ExchangeVia = Extract<AuditEvent, { event: 'token.exchanged' }>['via'];
export const EXCHANGE_VIAS = keysOf<ExchangeVia>({ api: true, 'explorer-link': true });

export const REVOCATION_REASONS = keysOf<RevocationReason>({ 'revoke-endpoint': true, 'refresh-reuse': true, admin: true, 'user-deleted': true });

/** `admin`: the admin password, which every admin request carries (there is no admin session). */
export type SignInMethod = Extract<AuditEvent, { event: 'sign-in.succeeded' | 'sign-in.failed' }>['method'] | 'admin';
export const SIGN_IN_METHODS = keysOf<SignInMethod>({ password: true, oidc: true, admin: true });

/** The failed-attempt limits (http/rate-limit.ts): admin password, user sign-in, share-link PIN. */
export type AttemptLimit = 'admin' | 'sign-in' | 'share-pin';
export const ATTEMPT_LIMITS = keysOf<AttemptLimit>({ admin: true, 'sign-in': true, 'share-pin': true });
