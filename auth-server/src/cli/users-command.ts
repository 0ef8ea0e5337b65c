import { type Clock, epochSeconds, systemClock } from '../clock';
import { openStore } from '../store/open-store';
import type { UserRecord } from '../store/store';
import { RevocationList } from '../tokens/revocation-list';
import { type RevocationContext, revokeUserTokens } from '../tokens/revoke';
import { deleteUser } from '../users/delete-user';
import { CliError, type CliContext, type CliOutput, formatTable, runCliAsync } from './cli';

export const USERS_USAGE = 'usage: npm run users -- list | revoke <username> | delete <username>   (reads PACSGATE_CONFIG_DIR like the server)';

type UsersAction = (cli: CliContext, ctx: RevocationContext, username: string) => Promise<void>;

const signInMethods = (user: UserRecord): string => [user.passwordHash && 'password', user.oidcIssuer && 'oidc'].filter(Boolean).join(', ') || 'token only';

async function findUser(ctx: RevocationContext, username: string): Promise<UserRecord> {
  const user = await ctx.store.users.findByUsername(username);
  if (!user) throw new CliError(`there is no user ${username}`);
  return user;
}

const list: UsersAction = async (cli, ctx) => {
  const now = epochSeconds(ctx.clock);
  const users = await ctx.store.users.list();
  cli.audit.record({ event: 'admin.action', action: 'list-users', count: users.length, ...cli.actor });
  const rows: string[][] = [];
  for (const user of users) {
    const signIns = (await ctx.store.tokens.activeFamilies(user.id, now)).length;
    rows.push([user.username, user.name, user.canEditResource ? 'edit' : 'read', signInMethods(user), String(signIns)]);
  }
  for (const line of formatTable(['USERNAME', 'NAME', 'RIGHTS', 'SIGN-IN', 'ACTIVE SIGN-INS'], rows)) cli.output.out(line);
};

const revoke: UsersAction = async (cli, ctx, username) => {
  const count = await revokeUserTokens(ctx, (await findUser(ctx, username)).id);
  cli.audit.record({ event: 'admin.action', action: 'revoke-user-tokens', username, count, ...cli.actor });
  cli.output.out(`Revoked ${count} token${count === 1 ? '' : 's'} of ${username}; a running server refuses them within a second.`);
};

const remove: UsersAction = async (cli, ctx, username) => {
  const count = await deleteUser(ctx, await findUser(ctx, username));
  cli.audit.record({ event: 'admin.action', action: 'delete-user', username, count, ...cli.actor });
  cli.output.out(`Deleted ${username} after revoking ${count} token${count === 1 ? '' : 's'}.`);
};

/** Which actions take a username. */
const ACTIONS = new Map<string, { run: UsersAction; needsUsername: boolean }>([
  ['list', { run: list, needsUsername: false }],
  ['revoke', { run: revoke, needsUsername: true }],
  ['delete', { run: remove, needsUsername: true }],
]);

/**
 * `npm run users -- list | revoke <username> | delete <username>`; returns the exit code. It writes
 * through its own connection to the database; the running server's revocation poll sees the change.
 */
export async function usersCommand(args: string[], env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock = systemClock): Promise<number> {
  const [name, username] = args;
  const action = ACTIONS.get(name ?? '');
  if (!action || args.length !== (action.needsUsername ? 2 : 1)) {
    output.error(USERS_USAGE);
    return 2;
  }
  return runCliAsync(env, output, clock, async (cli) => {
    const store = await openStore(cli.config);
    try {
      await action.run(cli, { store, clock, revocations: await RevocationList.load(store.tokens, clock), audit: cli.audit }, username ?? '');
    } finally {
      await store.close();
    }
  });
}
