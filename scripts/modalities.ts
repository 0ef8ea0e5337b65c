/** `npm run modalities -- add | list | remove | issue-cert | revoke-cert`: the DICOM devices let in through the TLS door. */
import { processOutput } from '../auth-server/src/cli/cli';
import { modalitiesCommand } from '../auth-server/src/cli/modalities-command';

void modalitiesCommand(process.argv.slice(2), process.env, processOutput).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    processOutput.error(`pacsgate: ${error.message}`);
    process.exitCode = 1;
  },
);
