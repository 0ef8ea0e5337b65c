import { VerifyCacheControl } from '../../../auth-server/src/verify/cache-control';
import { FakeClock } from '../../support/fake-clock';

describe('VerifyCacheControl', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0, 500));
  const now = Math.floor(clock.now() / 1000);

  it('allows the configured seconds when the token lives longer', () => {
    expect(new VerifyCacheControl(5, clock).forAllowed(now + 3600)).toBe('max-age=5');
  });

  it('stops at the token’s expiry, counting the part of a second already gone', () => {
    expect(new VerifyCacheControl(5, clock).forAllowed(now + 3)).toBe('max-age=2');
  });

  it('says no-store when the token is about to expire or the cache is off', () => {
    expect(new VerifyCacheControl(5, clock).forAllowed(now)).toBe('no-store');
    expect(new VerifyCacheControl(0, clock).forAllowed(now + 3600)).toBe('no-store');
  });
});
