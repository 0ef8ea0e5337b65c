import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../setup/repo-root';
import { parseBenchOptions, USAGE } from './options';
import { consoleReport } from './report/console-table';
import { writeReport } from './report/write-report';
import { runBench } from './run-bench';

// Usage: npm run bench [-- --quick] [--profile] [--seconds N] [--rounds N] [--connections 8,32,128] [--out DIR]
// Exits non-zero only when something failed to run or answered wrongly, never because the machine is slow.

function installSystemPackages(): void {
  const result = spawnSync('sh', [join(REPO_ROOT, 'scripts', 'install-system-deps.sh'), '--for-bench'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the Debian packages the benchmark needs are missing (see above)');
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  installSystemPackages();
  const report = await runBench(options, (line) => console.log(line));
  const written = writeReport(report, options.outDir);
  console.log(`\n${consoleReport(report)}`);
  console.log(`Written: ${written.json}, ${written.markdown}, ${written.chart}`);
  if (report.problems.length > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
