import type { Sample } from '../plan';
import type { ProfileSummary } from '../profile/cpu-profile-summary';
import type { RssReport } from '../rss-sampler';
import type { Scenario } from '../scenario';
import type { ScenarioSummary } from '../summary';
import type { P99Added, Ratio } from './ratios';
import type { TargetCheck } from './targets';
import type { ViewerReport } from '../viewer/viewer-bench';

/** Everything one `npm run bench` measured; written as bench/results/bench.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; os: string; node: string; nginx: string; orthanc: string; wrk: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  settings: { quick: boolean; secondsPerRun: number; rounds: number; concurrencies: number[]; wrkThreads: number; authCacheSeconds: number; studies: number };
  scenarios: Pick<Scenario, 'name' | 'description' | 'expect'>[];
  results: ScenarioSummary[];
  ratios: Ratio[];
  /** Share link against full token by the stack's CPU per request (report/ratios.ts). */
  cpuRatios?: Ratio[];
  p99Added: P99Added[];
  rss: RssReport | null;
  targets: TargetCheck[];
  /** Runs that failed or answers that were wrong: the benchmark exits non-zero when there are any. */
  problems: string[];
  samples: Sample[];
  /** A study opened in OHIF through the baseline, the gate and the cached gate (absent with --skip-viewer). */
  viewer?: ViewerReport;
  /** With --profile: the auth server's CPU profile, one summary per scenario's runs. */
  profiles?: ScenarioProfile[];
}

export interface ScenarioProfile {
  scenario: string;
  summary: ProfileSummary;
}
