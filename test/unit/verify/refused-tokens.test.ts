import { RefusedTokens } from '../../../auth-server/src/verify/refused-tokens';
import type { Refusal } from '../../../auth-server/src/verify/refusal';

const invalid: Refusal = { status: 401, reason: 'invalid' };

describe('RefusedTokens', () => {
  it('answers a token refused before by its exact text', () => {
    const refused = new RefusedTokens(2);
    refused.remember('a.b.c', invalid);
    expect(refused.get('a.b.c')).toBe(invalid);
    expect(refused.get('a.b.x')).toBeUndefined();
  });

  it('does not keep texts too long to bound its memory', () => {
    const refused = new RefusedTokens(2);
    const long = `a.b.${'c'.repeat(4000)}`;
    refused.remember(long, invalid);
    expect(refused.get(long)).toBeUndefined();
  });

  it('forgets the oldest token when full', () => {
    const refused = new RefusedTokens(1);
    refused.remember('t1', invalid);
    refused.remember('t2', invalid);
    expect(refused.get('t1')).toBeUndefined();
    expect(refused.get('t2')).toBe(invalid);
  });
});
