import { type ScopeDecision, studyScopeDecision } from '../pacs-routes/study-scope';

/** Longer URIs are decided afresh every time: 5,000 entries bound the memo's URI text at 5 MB. */
const MAX_REMEMBERED_URI_LENGTH = 1024;

/** Everything `studyScopeDecision` reads besides the URI: an entry answers only this very question. */
interface Remembered {
  method: string;
  scope: readonly string[];
  canEdit: boolean;
  decision: ScopeDecision;
}

/** The same studies in the same order: one token's own array, or another visitor's of the same link. */
const sameScope = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((study, index) => study === b[index]));

/**
 * `studyScopeDecision` remembered per raw URI (bounded; when full, the oldest entry makes room): a
 * viewer asks for one study's URIs again and again, and parsing each one again is most of what a
 * scope costs. The decision is a pure function of method, URI, scope and edit right, and an entry
 * answers only when all four are the same, so a memo hit is exactly what a fresh decision would be.
 * What can change stays outside: revocation and expiry (checked before) and the study an id or UID
 * belongs to (asked of the lookup cache after).
 */
export class ScopeDecisions {
  private readonly byUri = new Map<string, Remembered>();

  constructor(private readonly capacity = 5000) {}

  decide(method: string, uri: string, scope: readonly string[], canEdit: boolean): ScopeDecision {
    const known = this.byUri.get(uri);
    if (known !== undefined && known.method === method && known.canEdit === canEdit && sameScope(known.scope, scope)) return known.decision;
    const decision = studyScopeDecision(method, uri, scope, canEdit);
    if (uri.length <= MAX_REMEMBERED_URI_LENGTH) this.remember(uri, { method, scope, canEdit, decision: Object.freeze(decision) });
    return decision;
  }

  /** How many decisions are remembered (for tests of the bound). */
  get size(): number {
    return this.byUri.size;
  }

  private remember(uri: string, entry: Remembered): void {
    // A URI asked again with another method or scope takes the place of its older answer.
    if (!this.byUri.delete(uri) && this.byUri.size >= this.capacity) this.byUri.delete(this.byUri.keys().next().value as string);
    this.byUri.set(uri, entry);
  }
}
