import { loopbackRequest } from './loopback-request';

// Orthanc logs `(http) GET /system` for each request it serves once its "http" category is verbose.
const REQUEST_LINE = /\(http\) [A-Z]+ (\S+)/;
const CONTROL_WAIT_MS = 5000;
const POLL_MS = 50;

/**
 * Counts the requests Orthanc itself serves on one path, from Orthanc's own log: the proof that
 * a refused request never reached it. Verbose HTTP logging is on only while counting.
 */
export class OrthancRequestLog {
  private readonly countByPath = new Map<string, number>();

  constructor(
    /** Orthanc's own HTTP root, e.g. `http://127.0.0.1:8042`. */
    private readonly orthancUrl: string,
    /** The Basic credential only Nginx sends: the log switch is an Orthanc REST call. */
    private readonly authorization: string,
  ) {}

  /** Feed every line Orthanc prints. */
  onLine(line: string): void {
    const path = REQUEST_LINE.exec(line)?.[1];
    if (path !== undefined) this.countByPath.set(path, (this.countByPath.get(path) ?? 0) + 1);
  }

  /**
   * Runs `load`, then `control` (one request that must reach Orthanc on the same path), and returns
   * how many of load's requests Orthanc served. Seeing the control request proves the count works.
   */
  async countDuring<T>(path: string, load: () => Promise<T>, control: () => Promise<void>): Promise<{ value: T; reachedOrthanc: number }> {
    await this.setHttpLogLevel('verbose');
    try {
      const before = this.count(path);
      const value = await load();
      await control();
      await this.waitForCount(path, before + 1);
      return { value, reachedOrthanc: this.count(path) - before - 1 };
    } finally {
      await this.setHttpLogLevel('default');
    }
  }

  private count(path: string): number {
    return this.countByPath.get(path) ?? 0;
  }

  private async waitForCount(path: string, atLeast: number): Promise<void> {
    const deadline = Date.now() + CONTROL_WAIT_MS;
    while (this.count(path) < atLeast) {
      if (Date.now() > deadline) throw new Error(`Orthanc's log never showed the control request on ${path}: its request count cannot be trusted`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async setHttpLogLevel(level: 'verbose' | 'default'): Promise<void> {
    const response = await loopbackRequest(`${this.orthancUrl}/tools/log-level-http`, { method: 'PUT', headers: { Authorization: this.authorization }, body: level });
    if (response.status !== 200) throw new Error(`Orthanc refused to set its http log level to ${level}: ${response.status}`);
  }
}
