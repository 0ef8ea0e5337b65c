import { readFileSync } from 'node:fs';

export interface RssReport {
  beforeMb: number;
  peakMb: number;
  afterMb: number;
}

const SAMPLE_EVERY_MS = 100;

/** Resident memory of a process in MB, from /proc (Linux). */
export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Samples a process's RSS while the load runs: the value before, the peak, and the value after. */
export class RssSampler {
  private readonly beforeMb: number;
  private peakMb: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.beforeMb = readRssMb(pid);
    this.peakMb = this.beforeMb;
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Stops sampling; `after` is read now, so call it once the load is over. */
  finish(): RssReport {
    clearInterval(this.timer);
    this.sample();
    return { beforeMb: this.beforeMb, peakMb: this.peakMb, afterMb: readRssMb(this.pid) };
  }

  private sample(): void {
    try {
      this.peakMb = Math.max(this.peakMb, readRssMb(this.pid));
    } catch {
      // The process exited; finish() reports the failure when it reads again.
    }
  }
}
