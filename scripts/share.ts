/** `npm run share -- create --study UID ... | list | revoke ID | unlock ID`: share links in PACSGATE_CONFIG_DIR. */
import { processOutput } from '../auth-server/src/cli/cli';
import { shareCommand } from '../auth-server/src/cli/share-command';

void shareCommand(process.argv.slice(2), process.env, processOutput).then((code) => {
  process.exitCode = code;
});
