import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateSettings } from '../../setup/gate-settings';
import { configLayout } from '../../auth-server/src/config-files';
import { noQuestionsPrompter } from '../../setup/prompt';
import { runSetup } from '../../setup/run-setup';
import { settingsOnFreePorts } from '../../scripts/stack/free-settings';
import type { LogSink } from '../../scripts/stack/child';
import { RunningStack, startStack } from '../../scripts/stack/start-stack';
import { buildAuthServer } from './built-server';
import { GateClient } from './gate-client';

export const TEST_ADMIN_PASSWORD = 'E2e-Gate-Passw0rd!';
const KEPT_LOG_LINES = 200;

export interface TestStack {
  stack: RunningStack;
  settings: GateSettings;
  client: GateClient;
  /** Calls `listener` with every line Orthanc, the auth server and Nginx print from now on, until the returned function is called. */
  onOutput(listener: LogSink): () => void;
  stop(): Promise<void>;
}


/** The real stack (the runner `npm run stack` uses) on free ports with a throwaway config dir; defaults as set up, auth cache included. */
export async function startTestStack(options: { allowedOrigins?: string[]; authCacheSeconds?: number; accessLog?: boolean; metricsPort?: number } = {}): Promise<TestStack> {
  const configDir = mkdtempSync(join(tmpdir(), 'pacsgate-e2e-'));
  const settings = await settingsOnFreePorts(configDir, () => ({
    PACSGATE_ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(','),
    ...(options.authCacheSeconds !== undefined && { PACSGATE_AUTH_CACHE_SECONDS: String(options.authCacheSeconds) }),
  }));
  const logs: string[] = [];
  const log = (line: string) => {
    logs.push(line);
    if (logs.length > KEPT_LOG_LINES) logs.shift();
  };
  const listeners = new Set<LogSink>();
  await runSetup({ settings, yes: true, force: false, adminPassword: TEST_ADMIN_PASSWORD, prompter: noQuestionsPrompter, log });
  let stack: RunningStack;
  try {
    stack = await startStack({
      settings,
      accessLog: options.accessLog ?? false,
      baseEnv: {
        ...process.env,
        PACSGATE_LOG_LEVEL: 'warn',
        PACSGATE_BCRYPT_COST: '4',
        ...(options.metricsPort !== undefined && { PACSGATE_METRICS_PORT: String(options.metricsPort) }),
      },
      authServerEntry: buildAuthServer(),
      onLog: (source, line) => {
        log(`[${source}] ${line}`);
        for (const listener of listeners) listener(source, line);
      },
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
    onOutput: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      client.close();
      await stack.stop();
      // The stack's own output, when a failure needs it: PACSGATE_E2E_LOGS=1 npm test
      if (process.env.PACSGATE_E2E_LOGS) console.log(logs.join('\n'));
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
