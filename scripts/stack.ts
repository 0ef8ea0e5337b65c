import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gateSettingsFromEnv } from '../setup/gate-settings';
import { noQuestionsPrompter } from '../setup/prompt';
import { REPO_ROOT } from '../setup/repo-root';
import { isSetUp, runSetup } from '../setup/run-setup';
import { assertPortsFree } from './stack/ports';
import { RunningStack, stackPorts, startStack, StackUrls } from './stack/start-stack';

// Usage: npm run stack — the whole gate on this machine until Ctrl-C (ports: see docs/operations.md).

function installSystemPackages(): void {
  const result = spawnSync('sh', [join(REPO_ROOT, 'scripts', 'install-system-deps.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the Debian packages the stack needs are missing (see above)');
}

function banner(urls: StackUrls, generatedPassword: string | undefined): string {
  const password = generatedPassword
    ? `${generatedPassword}  (generated just now and shown only here: note it; it is stored only as a bcrypt hash)`
    : 'the one set with `npm run setup` (or printed by the first `npm run stack`); a new one: npm run setup -- --force';
  return [
    '',
    'pacsgate is up:',
    `  issue a token (admin page)   ${urls.token}`,
    `  viewer (OHIF)                ${urls.viewer}  (sign in as a user the admin page made)`,
    `  Orthanc Explorer             ${urls.explorer}  (open it through the link the token page shows)`,
    `  DICOMweb root                ${urls.dicomWeb}`,
    urls.dicomTls
      ? `  DICOM TLS (modalities)       ${urls.dicomTls}  (npm run modalities -- list)`
      : '  DICOM TLS (modalities)       closed: no modality registered (npm run modalities -- add ...)',
    `  admin password               ${password}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/** Ctrl-C or SIGTERM at any time: before the stack is up it stops the start, after it stops the stack. */
function handleStopSignals(stop: () => void): void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  let stack: RunningStack | undefined;
  let stopRequested = false;
  const shutDown = (exitCode: number) => {
    if (stopRequested && exitCode !== 0) return;
    stopRequested = true;
    stack?.stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        console.error(`stopping the stack failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  handleStopSignals(() => shutDown(0));
  installSystemPackages();
  const settings = gateSettingsFromEnv();
  await assertPortsFree(stackPorts(settings));
  let generatedPassword: string | undefined;
  if (!isSetUp(settings.configDir)) {
    console.log(`No configuration in ${settings.configDir} yet: running setup --yes.`);
    const result = await runSetup({
      settings,
      yes: true,
      force: false,
      adminPassword: process.env.PACSGATE_ADMIN_PASSWORD,
      prompter: noQuestionsPrompter,
      log: (line) => console.log(line),
    });
    generatedPassword = result.generatedAdminPassword;
  }
  try {
    stack = await startStack({
      settings,
      accessLog: true,
      baseEnv: process.env,
      onLog: (source, line) => console.log(`[${source}]`.padEnd(10) + line),
    });
  } catch (error) {
    if (stopRequested) return;
    throw error;
  }
  if (stopRequested) return shutDown(0);
  console.log(banner(stack.urls, generatedPassword));
  const died = await stack.firstExit;
  if (stopRequested) return;
  console.error(`${died.name} exited on its own; stopping the stack.`);
  shutDown(1);
}

main().catch((error: Error) => {
  console.error(`stack: ${error.message}`);
  process.exitCode = 1;
});
