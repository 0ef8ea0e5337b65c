import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateSettings } from '../../setup/gate-settings';
import { configLayout } from '../../setup/layout';
import { noQuestionsPrompter } from '../../setup/prompt';
import { runSetup } from '../../setup/run-setup';
import { findFreePort } from '../../scripts/stack/ports';
import { RunningStack, startStack } from '../../scripts/stack/start-stack';
import { buildAuthServer } from './built-server';
import { GateClient } from './gate-client';

export const TEST_ADMIN_PASSWORD = 'E2e-Gate-Passw0rd!';
const KEPT_LOG_LINES = 200;

export interface TestStack {
  stack: RunningStack;
  settings: GateSettings;
  client: GateClient;
  stop(): Promise<void>;
}

async function freeSettings(configDir: string, allowedOrigins: string[], authCacheSeconds: number): Promise<GateSettings> {
  const [httpsPort, httpPort, orthancHttpPort, dicomPort, dicomTlsPort, authPort] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => findFreePort()));
  return { configDir, publicUrl: `https://localhost:${httpsPort}`, allowedOrigins, httpsPort, httpPort, orthancHttpPort, dicomPort, dicomTlsPort, authPort, bcryptCost: 4, authCacheSeconds };
}

/** The real stack (the runner `npm run stack` uses) on free ports with a throwaway config dir. */
export async function startTestStack(options: { allowedOrigins?: string[]; authCacheSeconds?: number } = {}): Promise<TestStack> {
  const configDir = mkdtempSync(join(tmpdir(), 'pacsgate-e2e-'));
  const settings = await freeSettings(configDir, options.allowedOrigins ?? [], options.authCacheSeconds ?? 0);
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (logs.length > KEPT_LOG_LINES) logs.shift();
  };
  await runSetup({ settings, yes: true, force: false, adminPassword: TEST_ADMIN_PASSWORD, prompter: noQuestionsPrompter, log });
  let stack: RunningStack;
  try {
    stack = await startStack({
      settings,
      accessLog: false,
      baseEnv: { ...process.env, PACSGATE_LOG_LEVEL: 'warn', PACSGATE_BCRYPT_COST: '4' },
      authServerEntry: buildAuthServer(),
      onLog: (source, line) => log(`[${source}] ${line}`),
    });
  } catch (error) {
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
  const client = new GateClient(settings.publicUrl, readFileSync(configLayout(configDir).tlsCert));
  return {
    stack,
    settings,
    client,
    stop: async () => {
      client.close();
      await stack.stop();
      // The stack's own output, when a failure needs it: PACSGATE_E2E_LOGS=1 npm test
      if (process.env.PACSGATE_E2E_LOGS) console.log(logs.join('\n'));
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
