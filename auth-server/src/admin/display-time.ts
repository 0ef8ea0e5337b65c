/** Epoch seconds as admins read them on the pages and in the CLI: `2026-01-31 14:05 UTC`. */
export const displayTime = (epochSeconds: number): string => `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const UNITS: readonly [seconds: number, name: string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];

/** A TTL as admins read it: the largest unit that divides it, `24 hours` up to two days, `2 days`, `90 minutes`. */
export function displayDuration(seconds: number): string {
  const [unit, name] = UNITS.find(([size]) => seconds % size === 0 && (size < 86400 || seconds >= 2 * 86400)) ?? [1, 'second'];
  const count = seconds / unit;
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}
