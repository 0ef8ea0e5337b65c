import type { AccessTokenClaims } from '../../../auth-server/src/tokens/claims';
import { VerifiedTokens } from '../../../auth-server/src/verify/verified-tokens';

const claims = (jti: string) => ({ jti }) as AccessTokenClaims;

describe('VerifiedTokens', () => {
  it('returns the claims remembered for the exact token text', () => {
    const cache = new VerifiedTokens(2);
    cache.remember('a.b.c', claims('1'));
    expect(cache.get('a.b.c')?.jti).toBe('1');
    expect(cache.get('a.b.x')).toBeUndefined();
  });

  it('forgets the oldest token when full', () => {
    const cache = new VerifiedTokens(2);
    cache.remember('t1', claims('1'));
    cache.remember('t2', claims('2'));
    cache.remember('t3', claims('3'));
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')?.jti).toBe('2');
    expect(cache.get('t3')?.jti).toBe('3');
  });
});
