import type { RefusalReason } from '../audit/events';
import type { OrthancClient } from '../orthanc/orthanc-client';
import { OrthancUnavailable } from '../orthanc/orthanc-http';
import { studyScopeDecision } from '../pacs-routes/study-scope';
import type { PresentedClaims } from '../tokens/presented';
import type { Refusal } from './refusal';
import type { VerifyResult } from './verify-request';

/** A token limited to some studies: a share link's, or an access token minted from one. */
export type ScopedClaims = PresentedClaims & { scope: string[] };

const refusal = (status: 403 | 503, reason: RefusalReason): Refusal => Object.freeze({ status, reason });
const OUT_OF_SCOPE = refusal(403, 'out-of-scope');
/** Nginx turns it into its 503 "token check unavailable": refused, and said why, never let through. */
const ORTHANC_UNAVAILABLE = refusal(503, 'orthanc-unavailable');

/**
 * Decides the requests of scoped tokens (study-scope.ts), asking Orthanc, through its cached
 * client, the study an Orthanc id, a series or a SOP instance UID belongs to. A cache hit answers synchronously.
 */
export class ScopedRequests {
  constructor(private readonly orthanc: OrthancClient) {}

  decide(claims: ScopedClaims, method: string, uri: string): VerifyResult | Promise<VerifyResult> {
    const decision = studyScopeDecision(method, uri, claims.scope, claims.canEditResource);
    // Every answer names the link (`fam` is its id): the audit line of a link visitor says which link.
    const share = claims.fam;
    const allowed: VerifyResult = { status: 204, username: claims.username, tokenExpiresAt: claims.exp, scoped: true, share };
    const outOfScope: Refusal = { ...OUT_OF_SCOPE, share };
    const inScope = (study: string | null | undefined) => (study ? claims.scope.includes(study) : false);
    switch (decision.kind) {
      case 'allow':
        return allowed;
      case 'refuse':
        return outOfScope;
      case 'resource': {
        const known = this.orthanc.knownStudyOfResource(decision.level, decision.id);
        if (known !== undefined) return inScope(known) ? allowed : outOfScope;
        return this.asked(this.orthanc.studyOfResource(decision.level, decision.id), (study) => inScope(study), allowed, outOfScope);
      }
      case 'uid': {
        // Every resource stored under that UID must be in scope: WADO-URI may serve any of them.
        const allInScope = (studies: readonly string[] | null | undefined) => (studies ? studies.length > 0 && studies.every(inScope) : false);
        const known = this.orthanc.knownStudiesOfUid(decision.level, decision.uid);
        if (known !== undefined) return allInScope(known) ? allowed : outOfScope;
        return this.asked(this.orthanc.studiesOfUid(decision.level, decision.uid), allInScope, allowed, outOfScope);
      }
    }
  }

  private asked<T>(answer: Promise<T>, inScope: (value: T) => boolean, allowed: VerifyResult, outOfScope: Refusal): Promise<VerifyResult> {
    return answer.then(
      (value) => (inScope(value) ? allowed : outOfScope),
      (error: unknown) => {
        if (error instanceof OrthancUnavailable) return { ...ORTHANC_UNAVAILABLE, share: outOfScope.share };
        throw error;
      },
    );
  }
}
