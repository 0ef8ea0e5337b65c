import { TokenMemo } from './token-memo';
import type { Refusal } from './refusal';

/** Longer texts are checked every time: 1,000 entries of this size bound the memo at 2 MB. */
const MAX_REMEMBERED_LENGTH = 2048;

/**
 * Token texts already refused for good (a bad signature or claims under a key we hold, or expiry),
 * keyed by the exact text: a client or a flood repeating one bad token costs a lookup, not an RSA
 * check and a thrown error. The caller never stores a failure that may change, such as an unknown
 * key id (another process may have rotated a key in that this one has yet to load).
 */
export class RefusedTokens extends TokenMemo<Refusal> {
  constructor(capacity = 1000) {
    super(capacity);
  }

  override remember(token: string, refusal: Refusal): void {
    if (token.length <= MAX_REMEMBERED_LENGTH) super.remember(token, refusal);
  }
}
