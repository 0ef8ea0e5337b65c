import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../setup/repo-root';

it('names every folder of auth-server/src in the README’s layout', () => {
  const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
  const folders = readdirSync(join(REPO_ROOT, 'auth-server', 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${entry.name}/`);
  expect(folders.filter((folder) => !new RegExp(`(^|\\s)${folder}(\\s|$)`, 'm').test(layout))).toEqual([]);
});
