import { LookupCache } from '../../../auth-server/src/orthanc/lookup-cache';
import { FakeClock } from '../../support/fake-clock';

it('asks once for lookups of one key in flight together, then answers from memory', async () => {
  const cache = new LookupCache<string>(10, new FakeClock());
  let calls = 0;
  const load = async () => {
    calls += 1;
    return 'study-a';
  };
  expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual(['study-a', 'study-a', 'study-a']);
  expect(calls).toBe(1);
  expect(cache.peek('k')).toBe('study-a');
});

it('keeps neither a failure nor a not-found', async () => {
  const cache = new LookupCache<string>(10, new FakeClock());
  await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  expect(await cache.get('k', async () => null)).toBeNull();
  expect(cache.peek('k')).toBeUndefined();
  expect(await cache.get('k', async () => 'later')).toBe('later');
});

it('drops the least recently used entry when full', async () => {
  const cache = new LookupCache<string>(2, new FakeClock());
  await cache.get('a', async () => 'A');
  await cache.get('b', async () => 'B');
  cache.peek('a');
  await cache.get('c', async () => 'C');
  expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual(['A', undefined, 'C']);
});

it('forgets an answer that could change after its max age', async () => {
  const clock = new FakeClock();
  const cache = new LookupCache<string>(10, clock, 10_000);
  await cache.get('k', async () => 'A');
  clock.advanceSeconds(9);
  expect(cache.peek('k')).toBe('A');
  clock.advanceSeconds(1);
  expect(cache.peek('k')).toBeUndefined();
});
