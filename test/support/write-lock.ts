import { Worker } from 'node:worker_threads';

/**
 * A second SQLite connection, in a worker thread, holding a write transaction (BEGIN IMMEDIATE).
 * better-sqlite3 is synchronous: a holder on the server's own thread could never let go while the
 * server waits. The holder keeps the lock until `arrived()` is called (the request under test reached
 * the server) and `holdMs` more, then commits; `released()` reads, without the event loop, whether it has.
 */
export interface WriteLock {
  arrived(): void;
  released(): boolean;
  done: Promise<void>;
}

const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const arrived = new Int32Array(workerData.arrived);
const released = new Int32Array(workerData.released);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('locked');
Atomics.wait(arrived, 0, 0, 30000);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
db.exec('COMMIT');
Atomics.store(released, 0, 1);
db.close();
`;

export async function holdWriteLock(databasePath: string, holdMs: number): Promise<WriteLock> {
  const arrived = new SharedArrayBuffer(4);
  const released = new SharedArrayBuffer(4);
  const worker = new Worker(HOLDER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), path: databasePath, holdMs, arrived, released } });
  const done = new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    arrived: () => {
      const view = new Int32Array(arrived);
      Atomics.store(view, 0, 1);
      Atomics.notify(view, 0);
    },
    released: () => Atomics.load(new Int32Array(released), 0) === 1,
    done,
  };
}
