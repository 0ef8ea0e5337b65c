import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { displayTime } from '../admin/display-time';
import { type Clock, epochSeconds, systemClock } from '../clock';
import { CURRENT_FILE } from '../keys/keyring';
import { keepRetiredSeconds, listSigningKeys, pruneRetiredKeys, rotateSigningKey, signingKeysDir } from '../keys/rotation';
import { CliError, type CliContext, type CliOutput, formatTable, runCli } from './cli';

export const KEYS_USAGE = 'usage: npm run keys -- rotate | prune | list   (reads PACSGATE_CONFIG_DIR like the server)';

/** The signing keys' dir, which must hold keys already. */
export function keysDir(cli: CliContext): string {
  const dir = signingKeysDir(cli.config.configDir);
  if (!existsSync(join(dir, CURRENT_FILE))) throw new CliError(`no signing keys in ${dir} yet: \`npm run setup\` or the server's first start makes them`);
  return dir;
}

function rotate(cli: CliContext): void {
  const now = epochSeconds(cli.clock);
  const { previous, current } = rotateSigningKey(keysDir(cli), now);
  cli.audit.record({ event: 'admin.action', action: 'rotate-key', kid: current, ...cli.actor });
  cli.output.out(`Key ${current} now signs new tokens; a running server switches to it within a second.`);
  cli.output.out(`Key ${previous} keeps verifying until ${displayTime(now + keepRetiredSeconds(cli.config.ttl))}; \`npm run keys -- prune\` (or a restart) drops it after that.`);
}

function prune(cli: CliContext): void {
  const pruned = pruneRetiredKeys(keysDir(cli), keepRetiredSeconds(cli.config.ttl), epochSeconds(cli.clock));
  for (const key of pruned) cli.audit.record({ event: 'key.pruned', kid: key.kid, retiredAt: new Date((key.retiredAt ?? 0) * 1000).toISOString() });
  cli.audit.record({ event: 'admin.action', action: 'prune-keys', count: pruned.length, ...cli.actor });
  if (pruned.length === 0) cli.output.out('No retired key is past the lifetime of the tokens it signed: nothing to prune.');
  for (const key of pruned) cli.output.out(`Dropped ${key.kid} (retired ${displayTime(key.retiredAt ?? 0)}).`);
}

function list(cli: CliContext): void {
  const rows = listSigningKeys(keysDir(cli), keepRetiredSeconds(cli.config.ttl)).map((key) =>
    key.current ? [key.kid, 'signing', '', ''] : [key.kid, 'retired', displayTime(key.retiredAt ?? 0), displayTime(key.prunableAt ?? 0)],
  );
  for (const line of formatTable(['KID', 'STATE', 'RETIRED', 'PUBLISHED UNTIL'], rows)) cli.output.out(line);
}

const ACTIONS = new Map<string, (cli: CliContext) => void>([['rotate', rotate], ['prune', prune], ['list', list]]);

/** `npm run keys -- rotate | prune | list`; returns the exit code. */
export function keysCommand(args: string[], env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock = systemClock): number {
  const action = args.length === 1 ? ACTIONS.get(args[0]) : undefined;
  if (!action) {
    output.error(KEYS_USAGE);
    return 2;
  }
  return runCli(env, output, clock, action);
}
