import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this summary reads. */
interface CpuProfile {
  /** Microseconds on the monotonic clock, the one `process.hrtime` reads in every process. */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  /** Where it lives: our code, a dependency, Node itself, or V8's own buckets (GC, idle). */
  area: string;
  ms: number;
  /** Share of the busy time (idle left out). */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  topFunctions: SelfTime[];
  byArea: { area: string; ms: number; percent: number }[];
}

function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName === '(garbage collector)' ? 'GC' : 'V8/native';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return `dependency: ${dependency[1]}`;
  if (url.startsWith('node:')) return 'Node.js core';
  return 'pacsgate';
}

function shortLocation(url: string, line: number): string {
  const file = url.replace(/^.*\/(auth-server|node_modules)\//, '$1/').replace(/^file:\/\//, '');
  return file ? `${file}:${line + 1}` : '';
}

/** A stretch of the profiled process's life, in `process.hrtime` microseconds: the load, not the start-up. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Self time per function within `windows` (samples weighted by their time deltas), largest first. */
export function summarizeCpuProfile(profile: CpuProfile, windows: ProfileWindow[], top = 15): ProfileSummary {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByKey = new Map<string, { name: string; area: string; ms: number }>();
  let idleMs = 0;
  let sampledAtUs = profile.startTime;
  profile.samples.forEach((id, index) => {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    sampledAtUs += deltaUs;
    if (!windows.some((window) => sampledAtUs >= window.fromUs && sampledAtUs <= window.toUs)) return;
    const frame = nodeById.get(id)?.callFrame;
    const ms = deltaUs / 1000;
    if (!frame || frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const name = `${frame.functionName || '(anonymous)'} ${shortLocation(frame.url, frame.lineNumber)}`.trim();
    const entry = selfByKey.get(name) ?? { name, area: areaOf(frame.url, frame.functionName), ms: 0 };
    entry.ms += ms;
    selfByKey.set(name, entry);
  });
  const entries = [...selfByKey.values()];
  const busyMs = entries.reduce((total, entry) => total + entry.ms, 0);
  const percent = (ms: number) => (busyMs > 0 ? (100 * ms) / busyMs : 0);
  const areaMs = new Map<string, number>();
  for (const entry of entries) areaMs.set(entry.area, (areaMs.get(entry.area) ?? 0) + entry.ms);
  return {
    busyMs,
    idleMs,
    topFunctions: entries.sort((a, b) => b.ms - a.ms).slice(0, top).map((entry) => ({ ...entry, percent: percent(entry.ms) })),
    byArea: [...areaMs].map(([area, ms]) => ({ area, ms, percent: percent(ms) })).sort((a, b) => b.ms - a.ms),
  };
}

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}
