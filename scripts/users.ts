/** `npm run users -- list | revoke <username> | delete <username>`: users and their tokens in PACSGATE_CONFIG_DIR. */
import { processOutput } from '../auth-server/src/cli/cli';
import { usersCommand } from '../auth-server/src/cli/users-command';

void usersCommand(process.argv.slice(2), process.env, processOutput).then((code) => {
  process.exitCode = code;
});
