import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LogSink = (source: string, line: string) => void;

const RECENT_LINES = 30;
const STOP_GRACE_MS = 5000;

/** One process of the stack, with its output streamed line by line and the last lines kept. */
export class StackChild {
  readonly exited: Promise<number | null>;
  private readonly recent: string[] = [];
  private running = true;

  private constructor(readonly name: string, private readonly process: ChildProcess, onLog: LogSink) {
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.running = false;
        resolve(signal ? null : code);
      });
      process.once('error', (error) => {
        this.remember(`cannot start: ${error.message}`);
        this.running = false;
        resolve(null);
      });
    });
    for (const stream of [process.stdout, process.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.remember(line);
        onLog(name, line);
      });
    }
  }

  static start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, onLog: LogSink): StackChild {
    return new StackChild(name, spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }), onLog);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The last lines it printed, for an error message when it fails to start. */
  get recentOutput(): string {
    return this.recent.join('\n');
  }

  /** SIGTERM (a fast, clean shutdown for Nginx, Orthanc and Node alike), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private remember(line: string): void {
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES) this.recent.shift();
  }
}
