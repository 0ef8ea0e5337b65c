import fc from 'fast-check';
import { displayDuration } from '../../../auth-server/src/admin/display-time';

it.each([
  [86400, '24 hours'],
  [172800, '2 days'],
  [3600, '1 hour'],
  [5400, '90 minutes'],
  [600, '10 minutes'],
  [61, '61 seconds'],
  [1, '1 second'],
])('states %i s as %s', (seconds, text) => {
  expect(displayDuration(seconds)).toBe(text);
});

it('states every TTL exactly: the count times the unit gives back the seconds', () => {
  const size: Record<string, number> = { day: 86400, hour: 3600, minute: 60, second: 1 };
  fc.assert(fc.property(fc.integer({ min: 1, max: 365 * 86400 }), (seconds) => {
    const [count, unit] = displayDuration(seconds).split(' ');
    expect(Number(count) * size[unit.replace(/s$/, '')]).toBe(seconds);
  }));
});
