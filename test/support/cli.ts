import type { CliOutput } from '../../auth-server/src/cli/cli';
import type { Clock } from '../../auth-server/src/clock';
import type { TestApp } from './test-app';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

type Command<R = number> = (args: string[], env: NodeJS.ProcessEnv, output: CliOutput, clock?: Clock) => R;

/**
 * Runs a CLI command on the test app's config dir the way an operator would on the server: it loads
 * the configuration itself and opens its own database connection, as a second process does.
 */
export function runCommand(command: Command, t: TestApp, args: string[], env: Record<string, string> = {}): CliRun {
  const run: CliRun = { code: -1, out: [], err: [] };
  run.code = command(args, commandEnv(t, env), outputInto(run), t.clock);
  return run;
}

/** `runCommand` for a command that resolves to its exit code. */
export async function runAsyncCommand(command: Command<Promise<number>>, t: TestApp, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const run: CliRun = { code: -1, out: [], err: [] };
  run.code = await command(args, commandEnv(t, env), outputInto(run), t.clock);
  return run;
}

const outputInto = (run: CliRun): CliOutput => ({ out: (line) => void run.out.push(line), error: (line) => void run.err.push(line) });

const commandEnv = (t: TestApp, env: Record<string, string>): NodeJS.ProcessEnv => ({
  PACSGATE_CONFIG_DIR: t.dir,
  PACSGATE_ADMIN_PASSWORD_HASH: t.config.adminPasswordHash,
  SUDO_USER: 'operator',
  ...env,
});
