import type { RssReport } from '../rss-sampler';
import type { ScenarioSummary } from '../summary';
import { cpuRatios, findSummary, p99Added, throughputRatios } from './ratios';

export interface TargetCheck {
  target: string;
  /** What this run measured, formatted; `n/a` when the run did not measure it. */
  measured: string;
  met: boolean | null;
}

/** The targets are stated at c32; a quick run checks them at its one concurrency instead. */
export const TARGET_CONNECTIONS = 32;

interface TargetInput {
  summaries: ScenarioSummary[];
  rss: RssReport | null;
}

function check(target: string, value: number | undefined, passes: (value: number) => boolean, format: (value: number) => string): TargetCheck {
  if (value === undefined || Number.isNaN(value)) return { target, measured: 'n/a', met: null };
  return { target, measured: format(value), met: passes(value) };
}

export function targetConnections(summaries: ScenarioSummary[]): number {
  const measured = new Set(summaries.map((summary) => summary.connections));
  return measured.has(TARGET_CONNECTIONS) || measured.size === 0 ? TARGET_CONNECTIONS : Math.min(...measured);
}

export function checkTargets({ summaries, rss }: TargetInput): TargetCheck[] {
  const c = targetConnections(summaries);
  const ratios = throughputRatios(summaries);
  const p99s = p99Added(summaries);
  const ratio = (name: string) => ratios.find((r) => r.name === name && r.connections === c)?.value;
  const cpuRatio = (name: string) => cpuRatios(summaries).find((r) => r.name === name && r.connections === c)?.value;
  const added = (name: string) => p99s.find((p) => p.name === name && p.connections === c)?.ms;
  const rate = (scenario: string) => findSummary(summaries, scenario, c)?.requestsPerSecond;
  const ratioText = (value: number) => value.toFixed(2);
  const msText = (value: number) => `${value.toFixed(2)} ms`;
  return [
    check(`gate/baseline ≥ 0.95 at c${c}, /system, as set up (auth cache 1 s)`, ratio('gate-system / baseline-system'), (v) => v >= 0.95, ratioText),
    check(`gate/baseline ≥ 0.95 at c${c}, QIDO, as set up (auth cache 1 s)`, ratio('gate-qido / baseline-qido'), (v) => v >= 0.95, ratioText),
    check(`gate/baseline ≥ 0.80 at c${c}, /system, auth cache 0`, ratio('gate-nocache-system / baseline-system'), (v) => v >= 0.8, ratioText),
    check(`gate/baseline ≥ 0.80 at c${c}, QIDO, auth cache 0`, ratio('gate-nocache-qido / baseline-qido'), (v) => v >= 0.8, ratioText),
    check(`p99 added by the gate < 1 ms at c${c}, /system, auth cache 0`, added('gate-nocache-system − baseline-system'), (v) => v < 1, msText),
    check(`p99 added by the gate < 1 ms at c${c}, QIDO, auth cache 0`, added('gate-nocache-qido − baseline-qido'), (v) => v < 1, msText),
    check(`/verify direct ≥ 15 k req/s at c${c}`, rate('verify-direct'), (v) => v >= 15_000, (v) => `${Math.round(v)} req/s`),
    check('auth server RSS < 120 MB at peak', rss?.peakMb, (v) => v < 120, (v) => `${v.toFixed(1)} MB`),
    check(`invalid tokens refused at ≥ the gate's uncached allow rate at c${c}`, ratio('gate-invalid-token / gate-nocache-system'), (v) => v >= 1, (v) => `${ratioText(v)}× the allow rate`),
    check(`invalid ?token= refused at ≥ the gate's uncached allow rate at c${c}`, ratio('gate-invalid-query-token / gate-nocache-system'), (v) => v >= 1, (v) => `${ratioText(v)}× the allow rate`),
    check(`share link/full token ≥ 0.90 at c${c}, WADO-RS frames, auth cache 0`, ratio('gate-frames-scoped / gate-frames-full'), (v) => v >= 0.9, ratioText),
    check(`share link/full token ≥ 0.90 at c${c}, Orthanc REST, auth cache 0`, ratio('gate-rest-scoped / gate-rest-full'), (v) => v >= 0.9, ratioText),
    check(`share link/full token ≥ 0.90 at c${c}, WADO-RS frames, by CPU per request`, cpuRatio('gate-frames-scoped / gate-frames-full'), (v) => v >= 0.9, ratioText),
    check(`share link/full token ≥ 0.90 at c${c}, Orthanc REST, by CPU per request`, cpuRatio('gate-rest-scoped / gate-rest-full'), (v) => v >= 0.9, ratioText),
  ];
}
