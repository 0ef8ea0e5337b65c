import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../setup/repo-root';

// npm runs a dependency's install script only when package.json's allowScripts says so, and warns
// about every one it has no answer for: a fresh `npm install` must print no such warning.
it('decides every installed dependency’s install script in allowScripts, so npm install warns about none', () => {
  const listed = JSON.parse(execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' })) as { allowScripts: { name: string }[] };
  expect(listed.allowScripts.map((entry) => entry.name)).toEqual([]);
});
