import { renameSync, rmSync } from 'node:fs';
import { writePrivateFile } from '../auth-server/src/secrets/secret-file';

/** Replaces a file with new content, private (0600) from its first byte: written aside, then renamed over. */
export function replacePrivateFile(path: string, content: string): void {
  const aside = `${path}.${process.pid}.tmp`;
  rmSync(aside, { force: true });
  writePrivateFile(aside, content);
  renameSync(aside, path);
}
