import type { RefusalReason } from '../audit/events';
import type { OrthancClient } from '../orthanc/orthanc-client';
import { OrthancUnavailable } from '../orthanc/orthanc-http';
import type { PresentedClaims } from '../tokens/presented';
import type { Refusal } from './refusal';
import { ScopeDecisions } from './scope-decisions';
import type { VerifyResult } from './verify-request';

/** A token limited to some studies: a share link's, or an access token minted from one. */
export type ScopedClaims = PresentedClaims & { scope: string[] };

const refusal = (status: 403 | 503, reason: RefusalReason): Refusal => Object.freeze({ status, reason });
const OUT_OF_SCOPE = refusal(403, 'out-of-scope');
/** Nginx turns it into its 503 "token check unavailable": refused, and said why, never let through. */
const ORTHANC_UNAVAILABLE = refusal(503, 'orthanc-unavailable');

// Every answer names the link (`fam` is its id): the audit line of a link visitor says which link.
const allowed = (claims: ScopedClaims): VerifyResult => ({ status: 204, username: claims.username, tokenExpiresAt: claims.exp, scoped: true, share: claims.fam });
const outOfScope = (claims: ScopedClaims): Refusal => ({ ...OUT_OF_SCOPE, share: claims.fam });
const answer = (claims: ScopedClaims, isInScope: boolean): VerifyResult => (isInScope ? allowed(claims) : outOfScope(claims));

const inScope = (scope: readonly string[], study: string | null | undefined): boolean => (study ? scope.includes(study) : false);
/** Every resource stored under that UID must be in scope: WADO-URI may serve any of them. */
const allInScope = (scope: readonly string[], studies: readonly string[] | null | undefined): boolean =>
  studies ? studies.length > 0 && studies.every((study) => scope.includes(study)) : false;

/**
 * Decides the requests of scoped tokens (study-scope.ts, remembered per URI by ScopeDecisions), asking
 * Orthanc, through its cached client, the study an Orthanc id, a series or a SOP instance UID belongs
 * to. A cache hit answers synchronously: then a scoped request costs one memo and one cache lookup.
 */
export class ScopedRequests {
  constructor(
    private readonly orthanc: OrthancClient,
    private readonly decisions = new ScopeDecisions(),
  ) {}

  decide(claims: ScopedClaims, method: string, uri: string): VerifyResult | Promise<VerifyResult> {
    const decision = this.decisions.decide(method, uri, claims.scope, claims.canEditResource);
    switch (decision.kind) {
      case 'allow':
        return allowed(claims);
      case 'refuse':
        return outOfScope(claims);
      case 'resource': {
        const known = this.orthanc.knownStudyOfResource(decision.level, decision.id);
        if (known !== undefined) return answer(claims, inScope(claims.scope, known));
        return this.asked(claims, this.orthanc.studyOfResource(decision.level, decision.id), (study) => inScope(claims.scope, study));
      }
      case 'uid': {
        const known = this.orthanc.knownStudiesOfUid(decision.level, decision.uid);
        if (known !== undefined) return answer(claims, allInScope(claims.scope, known));
        return this.asked(claims, this.orthanc.studiesOfUid(decision.level, decision.uid), (studies) => allInScope(claims.scope, studies));
      }
    }
  }

  private asked<T>(claims: ScopedClaims, lookup: Promise<T>, isInScope: (value: T) => boolean): Promise<VerifyResult> {
    return lookup.then(
      (value) => answer(claims, isInScope(value)),
      (error: unknown) => {
        if (error instanceof OrthancUnavailable) return { ...ORTHANC_UNAVAILABLE, share: claims.fam };
        throw error;
      },
    );
  }
}
