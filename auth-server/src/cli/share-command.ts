import { parseArgs } from 'node:util';
import { displayTime } from '../admin/display-time';
import { type Clock, systemClock } from '../clock';
import { BadRequest, HttpError } from '../errors';
import { loadKeyring } from '../keys/keyring';
import { parseBody } from '../http/validate';
import { OrthancClient } from '../orthanc/orthanc-client';
import { OrthancUnavailable } from '../orthanc/orthanc-http';
import { createShareLink } from '../share/create-link';
import { linkState, revokeShareLink, unlockShareLink } from '../share/manage-links';
import { requestedStudies, SHARE_MESSAGES, shareBody } from '../share/schemas';
import { ADMIN_SHARER } from '../share/sharer';
import { openStore } from '../store/open-store';
import { TokenCodec } from '../tokens/codec';
import type { Services } from '../services';
import { RevocationList } from '../tokens/revocation-list';
import { PasswordHasher } from '../users/passwords';
import { CliError, type CliContext, type CliOutput, formatTable, runCliAsync } from './cli';
import { keysDir } from './keys-command';

export const SHARE_USAGE =
  'usage: npm run share -- create --study UID [--study UID ...] [--days N] [--write] [--pin 1234] [--label TEXT] | list | revoke ID | unlock ID   (reads PACSGATE_CONFIG_DIR like the server)';

const DAY = 86400;

type ShareAction = (cli: CliContext, ctx: Services, args: string[]) => Promise<void>;

/** The request as the API would take it, checked by the same schema, so the CLI refuses what the API refuses. */
const CREATE_OPTIONS = { study: { type: 'string', multiple: true }, days: { type: 'string' }, write: { type: 'boolean' }, pin: { type: 'string' }, label: { type: 'string' } } as const;

function createOptions(args: string[]) {
  try {
    return parseArgs({ args, options: CREATE_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function createRequest(args: string[]) {
  const values = createOptions(args);
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1)) throw new CliError('--days must be a whole number of days, at least 1');
  try {
    const body = parseBody(shareBody, { studies: values.study, expiresIn: days && days * DAY, canEditResource: values.write, pin: values.pin, label: values.label }, SHARE_MESSAGES);
    return { studies: requestedStudies(body), expiresIn: body.expiresIn, canEditResource: body.canEditResource ?? false, pin: body.pin, label: body.label };
  } catch (error) {
    throw error instanceof BadRequest ? new CliError(error.publicMessage) : error;
  }
}

const create: ShareAction = async (cli, ctx, args) => {
  const request = createRequest(args);
  const deps = { services: ctx, hasher: new PasswordHasher(cli.config.bcryptCost), orthanc: new OrthancClient(cli.config.orthanc, cli.clock) };
  try {
    const link = await createShareLink(deps, request, ADMIN_SHARER, cli.actor);
    cli.output.out(link.url);
    cli.output.out(`Link ${link.id} works until ${displayTime(Date.parse(link.expiresAt) / 1000)}. The URL is shown only once.`);
  } catch (error) {
    if (error instanceof OrthancUnavailable) throw new CliError(`Orthanc at ${cli.config.orthanc.url} is not answering (${error.why}): the study cannot be checked`);
    if (error instanceof HttpError) throw new CliError(error.publicMessage);
    throw error;
  }
};

const list: ShareAction = async (cli, ctx) => {
  const links = await ctx.store.shareLinks.list();
  cli.audit.record({ event: 'admin.action', action: 'list-shares', count: links.length, ...cli.actor });
  const rows = links.map((link) => [
    link.id,
    link.label ?? '',
    link.studies.join(','),
    `${link.canEditResource ? 'write' : 'read'}${link.pinHash === null ? '' : '+pin'}`,
    link.createdBy,
    displayTime(link.expiresAt),
    String(link.uses),
    linkState(link),
  ]);
  for (const line of formatTable(['ID', 'LABEL', 'STUDIES', 'RIGHTS', 'BY', 'EXPIRES', 'USES', 'STATE'], rows)) cli.output.out(line);
};

const revoke: ShareAction = async (cli, ctx, [id]) => {
  if (!(await revokeShareLink(ctx, id, cli.actor))) throw new CliError(`there is no share link ${id}`);
  cli.output.out(`Revoked ${id}; a running server refuses it, and every browser that opened it, within a second.`);
};

const unlock: ShareAction = async (cli, ctx, [id]) => {
  if (!(await unlockShareLink(ctx, id, cli.actor))) throw new CliError(`there is no share link ${id}`);
  cli.output.out(`Unlocked ${id}: its PIN can be tried again.`);
};

const ACTIONS = new Map<string, { run: ShareAction; takesId: boolean }>([
  ['create', { run: create, takesId: false }],
  ['list', { run: list, takesId: false }],
  ['revoke', { run: revoke, takesId: true }],
  ['unlock', { run: unlock, takesId: true }],
]);

/**
 * `npm run share -- create ... | list | revoke ID | unlock ID`; resolves to the exit code. It writes
 * through its own connection to the database; the running server's revocation poll sees the change.
 */
export async function shareCommand(args: string[], env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock = systemClock): Promise<number> {
  const [name, ...rest] = args;
  const action = ACTIONS.get(name ?? '');
  const argsFit = action && (action.takesId ? rest.length === 1 : name === 'create' || rest.length === 0);
  if (!action || !argsFit) {
    output.error(SHARE_USAGE);
    return 2;
  }
  return runCliAsync(env, output, clock, async (cli) => {
    const store = await openStore(cli.config);
    try {
      const codec = new TokenCodec(loadKeyring(keysDir(cli)), cli.config.issuer);
      await action.run(cli, { config: cli.config, store, codec, clock, revocations: await RevocationList.load(store.tokens, clock), audit: cli.audit }, rest);
    } finally {
      await store.close();
    }
  });
}
