import { summarizeCpuProfile } from '../../../bench/profile/cpu-profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** Samples every 1 ms from t=1000 µs: two before the window, then verify ×2, a write ×1, idle ×1, GC ×1 inside it. */
const profile = {
  startTime: 0,
  nodes: [
    { id: 1, callFrame: frame('(idle)') },
    { id: 2, callFrame: frame('verify', 'file:///repo/dist/auth-server/src/verify/verify-request.js', 62) },
    { id: 3, callFrame: frame('writeLatin1String') },
    { id: 4, callFrame: frame('(garbage collector)') },
    { id: 5, callFrame: frame('sign', 'file:///repo/node_modules/jsonwebtoken/sign.js', 9) },
  ],
  samples: [5, 5, 2, 2, 3, 1, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('summarizeCpuProfile', () => {
  const summary = summarizeCpuProfile(profile, [{ fromUs: 2500, toUs: 3500 }, { fromUs: 3600, toUs: 7000 }]);

  it('counts only the samples inside the windows, idle apart', () => {
    expect(summary.busyMs).toBe(4);
    expect(summary.idleMs).toBe(1);
  });

  it('ranks functions by self time, with where they live', () => {
    expect(summary.topFunctions.map((f) => [f.name, f.area, f.percent])).toEqual([
      ['verify auth-server/src/verify/verify-request.js:63', 'pacsgate', 50],
      ['writeLatin1String', 'V8/native', 25],
      ['(garbage collector)', 'GC', 25],
    ]);
  });
});
