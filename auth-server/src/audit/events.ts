/**
 * Every line the audit log can hold. Token ids (`jti`) and family ids only: never a token, a
 * password or a hash, so the log can be read by people who must not be able to act as users.
 */

/** Why `/verify` refused a request: constant strings, so refusing allocates nothing. */
export type RefusalReason =
  | 'no-token'
  | 'malformed'
  | 'expired'
  | 'invalid'
  | 'revoked'
  | 'wrong-audience'
  | 'query-token-unusable'
  | 'query-token-spelling'
  | 'read-only'
  | 'untrusted-origin'
  | 'out-of-scope'
  | 'pin-required'
  | 'orthanc-unavailable';

export type IssuedKind = 'auth' | 'access' | 'refresh';

export type RevocationReason = 'revoke-endpoint' | 'refresh-reuse' | 'admin' | 'user-deleted';

export type AdminAction =
  | 'issue-token' | 'list-users' | 'list-user-tokens' | 'revoke-user-tokens' | 'delete-user' | 'rotate-key' | 'prune-keys'
  | 'add-modality' | 'remove-modality' | 'issue-modality-cert' | 'pin-modality-cert' | 'revoke-modality-cert'
  | 'create-share' | 'list-shares' | 'revoke-share' | 'unlock-share' | 'search-studies';

/**
 * One DICOM association through the TLS door (scripts/stack/dicom-audit.ts): refused by Nginx
 * (`stage: 'tls'`: no or untrusted certificate, an old TLS version, a certificate not pinned for
 * the address it came from) or accepted/refused by Orthanc (`stage: 'dicom'`: the AE title, and
 * `operation` when a DICOM command the modality is not allowed was refused).
 */
export interface DicomAssociationEvent {
  event: 'dicom.association';
  outcome: 'accepted' | 'refused';
  stage: 'tls' | 'dicom';
  /** The address the modality connected from. */
  ip?: string;
  modality?: string;
  aet?: string;
  certificate?: string;
  operation?: string;
  reason?: string;
}

/** The client address for web requests, the operating-system user for the CLI. */
export type Actor = { via: 'page' | 'api'; ip: string | undefined } | { via: 'cli'; osUser: string };

export type AuditEvent =
  | { event: 'token.issued'; kind: IssuedKind; jti: string; family?: string; username: string; audience?: string }
  | { event: 'token.exchanged'; jti: string; family: string; username: string; via: 'api' | 'explorer-link' }
  | { event: 'token.refreshed'; jti: string; family: string }
  | { event: 'token.revoked'; reason: RevocationReason; family: string }
  | { event: 'token.revoked'; reason: 'revoke-endpoint'; jti: string; kind: 'auth' }
  | ({ event: 'admin.action'; action: AdminAction; username?: string; count?: number; kid?: string; modality?: string; id?: string } & Actor)
  | ({ event: 'admin.refused'; action: AdminAction; reason: 'wrong-admin-password' } & Actor)
  | { event: 'sign-in.succeeded' | 'sign-in.failed'; method: 'password' | 'oidc'; via: 'page' | 'api'; username?: string; ip: string | undefined }
  | { event: 'key.pruned'; kid: string; retiredAt: string }
  | ({ event: 'share.created'; id: string; createdBy: string; studies: string[]; canEditResource: boolean; pin: boolean; expiresAt: string } & Actor)
  | { event: 'share.opened'; id: string; ip: string | undefined; userAgent: string }
  | { event: 'share.pin-failed'; id: string; ip: string | undefined; failures: number }
  | { event: 'share.locked'; id: string; ip: string | undefined }
  | ({ event: 'share.unlocked'; id: string } & Actor)
  | { event: 'share.revoked'; id: string; reason: RevocationReason }
  | { event: 'verify.refused'; status: 401 | 403 | 503; reason: RefusalReason; method: string; uri: string; username?: string; share?: string }
  | { event: 'verify.refused-suppressed'; count: number; since: string }
  /** `share`: the link's id when the request came through a share link (`username` is then who created it). */
  | { event: 'access'; username: string; share?: string; method: string; uri: string }
  | DicomAssociationEvent;
