import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

const POLL_MS = 250;

/**
 * Follows the lines appended to `path` from now on (Nginx's access log, which it can only
 * write to a file). Returns a function that stops following.
 */
export function followFile(path: string, onLine: (line: string) => void): () => void {
  let offset = existsSync(path) ? statSync(path).size : 0;
  let partial = '';
  const buffer = Buffer.alloc(64 * 1024);
  const poll = () => {
    if (!existsSync(path)) return;
    if (statSync(path).size < offset) offset = 0;
    const fd = openSync(path, 'r');
    try {
      for (let read = readSync(fd, buffer, 0, buffer.length, offset); read > 0; read = readSync(fd, buffer, 0, buffer.length, offset)) {
        offset += read;
        const lines = (partial + buffer.toString('utf8', 0, read)).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(onLine);
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(poll, POLL_MS);
  return () => {
    clearInterval(timer);
    poll();
  };
}
