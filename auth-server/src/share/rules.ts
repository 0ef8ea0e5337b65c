/** The pure rules of share links: lifetimes, PIN lock, who may share what. */

export const DEFAULT_SHARE_SECONDS = 7 * 86400;
/** Wrong PINs that lock a link until an admin unlocks it. */
export const PIN_LOCK_AT = 5;
/** How many studies one link may open. */
export const MAX_SHARED_STUDIES = 50;

/** A link's lifetime: what was asked, else a week, never past the configured maximum. */
export const shareLifetime = (requested: number | undefined, maxSeconds: number): number => Math.min(requested ?? DEFAULT_SHARE_SECONDS, maxSeconds);

/** The browser's token lives as long as an access token, never past the link. */
export const browserTokenExpiry = (now: number, accessTtl: number, linkExpiresAt: number): number => Math.min(now + accessTtl, linkExpiresAt);

/** An editor may share only what they can reach: everything without a scope, else studies in it. */
export const scopeCovers = (scope: readonly string[] | undefined, studies: readonly string[]): boolean =>
  scope === undefined || studies.every((study) => scope.includes(study));

/** The viewer page of the studies, as the viewer expects them: one comma-separated parameter. */
export const viewerPath = (studies: readonly string[]): string => `/viewer/viewer?StudyInstanceUIDs=${studies.map(encodeURIComponent).join(',')}`;
