import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { issueAccessToken, withBadSignature } from './bench-tokens';
import { DEFAULT_AUTH_CACHE_SECONDS } from '../auth-server/src/config-fields';
import { type BenchStack, startBenchStack } from './bench-stack';
import { loopbackRequest } from './loopback-request';
import { describeMachine } from './machine';
import type { BenchOptions } from './options';
import { OrthancRequestLog } from './orthanc-request-log';
import { type Measure, type PlanOutcome, runPlan, type Sample } from './plan';
import { cpuUsed, readStackCpu } from './process-cpu';
import { readCpuProfile, summarizeCpuProfile } from './profile/cpu-profile-summary';
import type { BenchReport, ScenarioProfile } from './report/bench-report';
import { cpuRatios, p99Added, throughputRatios } from './report/ratios';
import { checkTargets } from './report/targets';
import { type RssReport, RssSampler } from './rss-sampler';
import type { Scenario } from './scenario';
import { benchScenarios, selectScenarios, SYSTEM_PATH } from './scenarios';
import { seedStudies } from './seed-studies';
import { scopedTarget } from './scoped-target';
import { familyOf, stackSigner } from './scoped-tokens';
import { benchViewer, type ViewerReport } from './viewer/viewer-bench';
import { answerProblems, summarize } from './summary';
import { runWrk, WRK_THREADS } from './wrk/run-wrk';

const STUDIES = 5;
// Lets the auth server's memory settle before the "after" RSS sample.
const SETTLE_MS = 2000;
const WARMUP_CONNECTIONS = 32;

/** One request per scenario before any load: a wrong answer here means the run would measure the wrong thing. */
async function checkAnswers(scenarios: Scenario[]): Promise<void> {
  for (const scenario of scenarios) {
    const { status } = await loopbackRequest(scenario.url, { headers: scenario.headers });
    const ok = scenario.expect === 'allowed' ? status >= 200 && status < 300 : status === 401;
    if (!ok) throw new Error(`${scenario.name}: ${scenario.url} answered ${status}, expected ${scenario.expect === 'allowed' ? '2xx' : '401'}`);
  }
}

function measureWith(stack: BenchStack, requestLog: OrthancRequestLog, readToken: string, seconds: number): Measure {
  // After a flood, one request that must reach Orthanc: proof that its request log is being read.
  const control = async () => {
    const { status } = await loopbackRequest(`${stack.endpoints.gateUrl}${SYSTEM_PATH}`, { headers: { Authorization: `Bearer ${readToken}` } });
    if (status !== 200) throw new Error(`the control request through the gate answered ${status}`);
  };
  const cpu = () => readStackCpu(process.pid, stack.authServerPid);
  return async (scenario, connections) => {
    const load = () => runWrk({ url: scenario.url, headers: scenario.headers, script: scenario.script, connections, seconds });
    if (scenario.countOrthancRequests) {
      const { value, reachedOrthanc } = await requestLog.countDuring(SYSTEM_PATH, load, control);
      return { result: value, reachedOrthanc };
    }
    const before = cpu();
    const result = await load();
    return { result, cpuMs: cpuUsed(before, cpu()) };
  };
}

interface Measured {
  scenarios: Scenario[];
  outcome: PlanOutcome;
  rss: RssReport;
  viewer?: ViewerReport;
}

async function measureAll(stack: BenchStack, requestLog: OrthancRequestLog, options: BenchOptions, log: (line: string) => void): Promise<Measured> {
  const rssSampler = new RssSampler(stack.authServerPid);
  const { gateUrl } = stack.endpoints;
  const read = await issueAccessToken(gateUrl, stack.adminPassword, 'bench-reader', false);
  const instanceId = await seedStudies(gateUrl, await issueAccessToken(gateUrl, stack.adminPassword, 'bench-editor', true), STUDIES);
  const target = await scopedTarget(gateUrl, read, instanceId);
  const share = stackSigner(stack.configDir, stack.publicUrl).share({ scope: [target.studyUid], family: familyOf(read) });
  const scenarios = selectScenarios(benchScenarios(stack.endpoints, { read, invalid: withBadSignature(read), share }, target), options.only);
  await checkAnswers(scenarios);
  if (options.warmupSeconds > 0) {
    log(`Warming up (${options.warmupSeconds} s per scenario)...`);
    for (const scenario of scenarios) {
      await runWrk({ url: scenario.url, headers: scenario.headers, script: scenario.script, connections: WARMUP_CONNECTIONS, seconds: options.warmupSeconds });
    }
  }
  const outcome = await runPlan(scenarios, options, measureWith(stack, requestLog, read, options.secondsPerRun), log);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rss = rssSampler.finish();
  if (options.viewerRounds === 0) return { scenarios, outcome, rss };
  log(`Opening a study in OHIF ${options.viewerRounds}× through each of the baseline, the gate and the gate without auth cache...`);
  return { scenarios, outcome, rss, viewer: await benchViewer(stack.endpoints, stack.adminPassword, DEFAULT_AUTH_CACHE_SECONDS, options.viewerRounds, log) };
}

/** The auth server's profile cut into the runs of each scenario: where its time goes under each load. */
function profilesOf(dir: string, scenarios: Scenario[], samples: Sample[]): ScenarioProfile[] {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the auth server wrote no .cpuprofile in ${dir}`);
  const profile = readCpuProfile(join(dir, file));
  return scenarios.map(({ name }) => ({ scenario: name, summary: summarizeCpuProfile(profile, samples.filter((sample) => sample.scenario === name)) }));
}

/** Starts everything, measures every scenario, stops everything; the report says what failed, if anything. */
export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const profileDir = options.profile ? join(options.outDir, `profile-${Date.now()}`) : undefined;
  // Set once Orthanc is up; its lines before that are not requests of ours.
  const requestLog: { current?: OrthancRequestLog } = {};
  log('Starting Orthanc, the auth server and three Nginx instances on free loopback ports...');
  const stack = await startBenchStack({
    onOrthancLine: (line) => requestLog.current?.onLine(line),
    authServerNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  requestLog.current = new OrthancRequestLog(stack.orthancUrl, stack.orthancAuthorization);
  let measured: Measured;
  try {
    measured = await measureAll(stack, requestLog.current, options, log);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- last lines of the stack's output ---\n${stack.recentOutput()}`, { cause: error });
  } finally {
    await stack.stop();
  }
  const { scenarios, outcome, rss, viewer } = measured;
  const results = summarize(scenarios, options.concurrencies, outcome.samples);
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAfter: loadavg() },
    settings: {
      quick: options.quick,
      secondsPerRun: options.secondsPerRun,
      rounds: options.rounds,
      concurrencies: options.concurrencies,
      wrkThreads: WRK_THREADS,
      authCacheSeconds: DEFAULT_AUTH_CACHE_SECONDS,
      studies: STUDIES,
    },
    scenarios: scenarios.map(({ name, description, expect }) => ({ name, description, expect })),
    results,
    ratios: throughputRatios(results),
    cpuRatios: cpuRatios(results),
    p99Added: p99Added(results),
    rss,
    targets: checkTargets({ summaries: results, rss }),
    problems: [...outcome.failures, ...answerProblems(scenarios, results), ...(viewer?.failures ?? [])],
    samples: outcome.samples,
    ...(viewer ? { viewer } : {}),
    ...(profileDir ? { profiles: profilesOf(profileDir, scenarios, outcome.samples) } : {}),
  };
}
