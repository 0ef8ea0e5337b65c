import type { Clock } from '../clock';

/**
 * Caps refused-`/verify` lines at `perSecond` per clock second, so a flood of invalid tokens costs a
 * counter increment each instead of a disk write. The refusals left out are counted and reported in
 * one line at the next refusal of a later second.
 */
export class RefusalLimit {
  private second = -1;
  private admitted = 0;
  private suppressed = 0;
  private suppressedSince = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether this refusal gets its own line. `report` receives the count left out before, once per
   * later second, before that second's first line.
   */
  admit(report: (count: number, sinceMs: number) => void): boolean {
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      if (this.suppressed > 0) report(this.suppressed, this.suppressedSince);
      this.second = second;
      this.admitted = 0;
      this.suppressed = 0;
    }
    if (this.admitted < this.perSecond) {
      this.admitted += 1;
      return true;
    }
    if (this.suppressed === 0) this.suppressedSince = now;
    this.suppressed += 1;
    return false;
  }
}
