/** `npm run keys -- rotate | prune | list`: the signing keys in PACSGATE_CONFIG_DIR. */
import { processOutput } from '../auth-server/src/cli/cli';
import { keysCommand } from '../auth-server/src/cli/keys-command';

process.exitCode = keysCommand(process.argv.slice(2), process.env, processOutput);
