import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../setup/repo-root';

export const USAGE = 'usage: npm run bench [-- --quick] [--profile] [--skip-viewer] [--seconds N] [--rounds N] [--connections 8,32,128] [--only NAME,...] [--out DIR]';

export interface BenchOptions {
  quick: boolean;
  /** Run the auth server under `node --cpu-prof` and summarize where its time went. */
  profile: boolean;
  secondsPerRun: number;
  rounds: number;
  concurrencies: number[];
  /** Warm-up per scenario before measuring: JIT, keep-alive connections, the token cache. */
  warmupSeconds: number;
  /** Study loads in OHIF per target (0 with --skip-viewer). */
  viewerRounds: number;
  outDir: string;
  /** Name prefixes: only the scenarios whose name starts with one of them run (all when empty). */
  only: string[];
}

export const DEFAULT_RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

const FULL = { secondsPerRun: 10, rounds: 2, concurrencies: [8, 32, 128], warmupSeconds: 2, viewerRounds: 3 };
// One short run each: enough to prove every scenario still runs, too short to mean anything.
const QUICK = { secondsPerRun: 1, rounds: 1, concurrencies: [8], warmupSeconds: 0, viewerRounds: 1 };
const MAX_SECONDS = 120;
const MAX_CONNECTIONS = 1000;

function boundedInteger(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, not "${text}"`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'skip-viewer': { type: 'boolean', default: false },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const preset = values.quick ? QUICK : FULL;
  return {
    quick: values.quick ?? false,
    profile: values.profile ?? false,
    secondsPerRun: values.seconds ? boundedInteger('seconds', values.seconds, MAX_SECONDS) : preset.secondsPerRun,
    rounds: values.rounds ? boundedInteger('rounds', values.rounds, 9) : preset.rounds,
    concurrencies: values.connections ? values.connections.split(',').map((c) => boundedInteger('connections', c.trim(), MAX_CONNECTIONS)) : preset.concurrencies,
    warmupSeconds: preset.warmupSeconds,
    viewerRounds: values['skip-viewer'] ? 0 : preset.viewerRounds,
    outDir: values.out ?? DEFAULT_RESULTS_DIR,
    only: values.only ? values.only.split(',').map((prefix) => prefix.trim()).filter((prefix) => prefix !== '') : [],
  };
}
