/** Epoch seconds as admins read them on the pages and in the CLI: `2026-01-31 14:05 UTC`. */
export const displayTime = (epochSeconds: number): string => `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
