import { roundOrder, runPlan, type Sample } from '../../../bench/plan';
import type { Scenario } from '../../../bench/scenario';
import { answerProblems, median, summarize } from '../../../bench/summary';
import type { WrkResult } from '../../../bench/wrk/parse-wrk';

const scenario = (name: string, expect: Scenario['expect'] = 'allowed'): Scenario => ({ name, description: name, url: 'https://127.0.0.1:1/', headers: {}, expect });
const result = (requestsPerSecond: number, overrides: Partial<WrkResult> = {}): WrkResult => ({
  requests: requestsPerSecond, seconds: 1, requestsPerSecond, p50Ms: 1, p99Ms: requestsPerSecond / 1000, non2xx3xx: 0,
  socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 }, ...overrides,
});

describe('runPlan', () => {
  it('reverses the order every other round, at every concurrency', async () => {
    const runs: string[] = [];
    const scenarios = [scenario('a'), scenario('b'), scenario('c')];
    await runPlan(scenarios, { concurrencies: [8, 32], rounds: 2 }, (s, c) => {
      runs.push(`${s.name}${c}`);
      return Promise.resolve({ result: result(1) });
    }, () => undefined);
    expect(runs).toEqual(['a8', 'b8', 'c8', 'c8', 'b8', 'a8', 'a32', 'b32', 'c32', 'c32', 'b32', 'a32']);
    expect(roundOrder([1, 2], 3)).toEqual([2, 1]);
  });

  it('records a run that failed and goes on with the others', async () => {
    const outcome = await runPlan([scenario('a'), scenario('b')], { concurrencies: [8], rounds: 1 }, (s) =>
      s.name === 'a' ? Promise.reject(new Error('wrk could not connect')) : Promise.resolve({ result: result(1) }),
    () => undefined);
    expect(outcome.failures).toEqual(['a c8 round 1: wrk could not connect']);
    expect(outcome.samples.map((sample) => sample.scenario)).toEqual(['b']);
  });
});

describe('summarize', () => {
  const sample = (name: string, rate: number, extra: Partial<Sample> = {}): Sample => ({ scenario: name, connections: 8, round: 0, result: result(rate), fromUs: 0, toUs: 1, ...extra });

  it('reports medians of the rounds and totals of the rest', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 4])).toBe(2.5);
    const [summary] = summarize([scenario('a')], [8], [sample('a', 1000), sample('a', 3000, { result: result(3000, { non2xx3xx: 2 }) })]);
    expect(summary).toMatchObject({ scenario: 'a', connections: 8, runs: 2, requestsPerSecond: 2000, p99Ms: 2, requests: 4000, non2xx3xx: 2 });
  });

  it('names wrong answers: refusals where allows were due, allows or Orthanc hits in a flood', () => {
    const scenarios = [scenario('allowed'), scenario('flood', 'refused')];
    const summaries = summarize(scenarios, [8], [
      sample('allowed', 10, { result: result(10, { non2xx3xx: 1 }) }),
      sample('flood', 10, { result: result(10, { non2xx3xx: 9 }), reachedOrthanc: 1 }),
    ]);
    expect(answerProblems(scenarios, summaries)).toEqual([
      'allowed c8: 1 of 10 responses were not 2xx',
      'flood c8: 1 of 10 invalid-token requests were answered 2xx/3xx',
      'flood c8: 1 invalid-token requests reached Orthanc',
    ]);
  });
});
