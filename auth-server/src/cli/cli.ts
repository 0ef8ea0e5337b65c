import { userInfo } from 'node:os';
import { AuditLogError, type JsonLinesAuditLog, openAuditLog } from '../audit/audit-log';
import type { Actor } from '../audit/events';
import type { Clock } from '../clock';
import { type Config, ConfigError, loadConfig } from '../config';
import { KeyringError } from '../keys/keyring';
import { StoreError } from '../store/store-error';

export interface CliOutput {
  out(line: string): void;
  error(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => void process.stdout.write(`${line}\n`),
  error: (line) => void process.stderr.write(`${line}\n`),
};

/** A command that cannot do what was asked (an unknown user, no keys yet): its message is printed. */
export class CliError extends Error {}

/** What every command gets: the server's configuration, its audit log and who is acting. */
export interface CliContext {
  config: Config;
  audit: JsonLinesAuditLog;
  actor: Actor;
  clock: Clock;
  output: CliOutput;
}

/** The operating-system user at the keyboard; `sudo` keeps the real one in SUDO_USER. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.SUDO_USER || userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * The context a command runs in: the configuration the server reads from the same environment, so
 * it finds the same config dir, TTLs and audit log.
 */
function cliContext(env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock): CliContext {
  const config = loadConfig(env);
  // Synchronous: the lines are written before the process exits. `stdout` means stderr here, so
  // the command's own output stays clean for scripts.
  const audit = openAuditLog(config.audit.destination, { sync: true, stdoutFd: 2 });
  return { config, audit, actor: { via: 'cli', osUser: osUser(env) }, clock, output };
}

/** A failure the operator can act on is printed (exit code 1); anything else is a bug and thrown. */
function reported(error: unknown, output: CliOutput): number {
  const known = error instanceof CliError || error instanceof ConfigError || error instanceof KeyringError || error instanceof AuditLogError || error instanceof StoreError;
  if (!known) throw error;
  output.error(`pacsgate: ${error.message}`);
  return 1;
}

/** Runs a command; returns the exit code: 0, or 1 with the reason printed. */
export function runCli(env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock, command: (cli: CliContext) => void): number {
  try {
    command(cliContext(env, output, clock));
    return 0;
  } catch (error) {
    return reported(error, output);
  }
}

/** `runCli` for a command that waits on something (Orthanc, bcrypt). */
export async function runCliAsync(env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock, command: (cli: CliContext) => Promise<void>): Promise<number> {
  try {
    await command(cliContext(env, output, clock));
    return 0;
  } catch (error) {
    return reported(error, output);
  }
}

/** Rows as aligned columns, two spaces apart. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
}
