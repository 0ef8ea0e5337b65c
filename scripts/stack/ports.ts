import { createServer } from 'node:net';

export interface NamedPort {
  name: string;
  port: number;
}

/** Whether nothing listens on `port` on any IPv4 address (Nginx and Orthanc bind them all). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails, naming every clash, before anything starts: a second stack must not half-start. */
export async function assertPortsFree(ports: NamedPort[]): Promise<void> {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const { name, port } of ports) {
    const other = seen.get(port);
    if (other) problems.push(`${name} and ${other} are both set to port ${port}`);
    seen.set(port, name);
  }
  for (const { name, port } of ports) {
    if (!(await isFree(port))) problems.push(`port ${port} (${name}) is already in use — is another stack running?`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** A port the kernel just handed out, so tests and benchmarks can run beside a real stack. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '0.0.0.0' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Below Linux's ephemeral range (32768-60999), where `findFreePort` and outgoing connections take theirs. */
const RESTARTABLE_PORTS = { from: 20000, to: 32000 };

/**
 * A free port for a server a test stops and starts again on the same port: outside the ephemeral
 * range, so no port handed out by `findFreePort` or taken by a client socket in the meantime can be it.
 */
export async function findRestartablePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = RESTARTABLE_PORTS.from + Math.floor(Math.random() * (RESTARTABLE_PORTS.to - RESTARTABLE_PORTS.from));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${RESTARTABLE_PORTS.from} and ${RESTARTABLE_PORTS.to}`);
}
