import fc from 'fast-check';
import { absorbedByAuthCache } from '../../../bench/viewer/auth-cache-model';

it('lets the first request ask and absorbs those that start while its answer is kept', () => {
  const requests = [
    { startMs: 0, responseStartMs: 10 },
    { startMs: 5, responseStartMs: 15 }, // before the first answer: asks too
    { startMs: 20, responseStartMs: 25 },
    { startMs: 4000, responseStartMs: 4005 },
    { startMs: 5015, responseStartMs: 5020 }, // the kept answer expired at 5010: asks
    { startMs: 6000, responseStartMs: 6005 },
  ];
  expect(absorbedByAuthCache(requests, 5)).toBe(3);
  // 1 s: 20 is absorbed; 4000 and 5015 ask; 6000 falls in 5015's second.
  expect(absorbedByAuthCache(requests, 1)).toBe(2);
});

it('never absorbs the first request nor more than all others, whatever the timings', () => {
  const request = fc.tuple(fc.nat({ max: 20_000 }), fc.nat({ max: 500 })).map(([startMs, wait]) => ({ startMs, responseStartMs: startMs + wait }));
  fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (requests, seconds) => {
    const absorbed = absorbedByAuthCache(requests, seconds);
    expect(absorbed).toBeGreaterThanOrEqual(0);
    expect(absorbed).toBeLessThanOrEqual(requests.length - 1);
  }));
});
