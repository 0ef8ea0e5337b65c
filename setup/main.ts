import { parseArgs } from 'node:util';
import { gateSettingsFromEnv } from './gate-settings';
import { noQuestionsPrompter, terminalPrompter } from './prompt';
import { runSetup } from './run-setup';

const USAGE = `usage: npm run setup -- [--yes] [--force] [--cert FILE --key FILE]
  --yes     ask nothing: the admin password comes from PACSGATE_ADMIN_PASSWORD, or is generated and printed once
  --force   replace the admin password and TLS certificate already set, without asking
  --cert, --key   the TLS certificate and key Nginx serves (default: a self-signed one)
Writes into PACSGATE_CONFIG_DIR (default ./data).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      yes: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      cert: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const prompter = values.yes ? noQuestionsPrompter : terminalPrompter();
  try {
    const result = await runSetup({
      settings: gateSettingsFromEnv(),
      yes: values.yes,
      force: values.force,
      adminPassword: process.env.PACSGATE_ADMIN_PASSWORD,
      cert: values.cert,
      key: values.key,
      prompter,
      log: (line) => console.log(line),
    });
    if (result.generatedAdminPassword) {
      console.log(`\nAdmin password (shown this once, not stored anywhere): ${result.generatedAdminPassword}\n`);
    }
  } finally {
    prompter.close();
  }
}

main().catch((error: NodeJS.ErrnoException) => {
  const badArguments = error.code?.startsWith('ERR_PARSE_ARGS') ?? false;
  console.error(`setup failed: ${error.message}${badArguments ? `\n${USAGE}` : ''}`);
  process.exitCode = 1;
});
