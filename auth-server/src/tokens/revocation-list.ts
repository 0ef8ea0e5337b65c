import { type Clock, epochSeconds } from '../clock';
import type { TokenRepository } from '../store/store';

/**
 * Revoked token families, held in memory so /verify never reads the database. Writes in this
 * process refresh it at once; `startPolling` picks up revocations made by other processes (the CLI).
 */
export class RevocationList {
  private readonly keepUntilByFamily = new Map<string, number>();
  private lastSeq = 0;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly clock: Clock,
  ) {
    this.refresh();
  }

  has(familyId: string): boolean {
    return this.keepUntilByFamily.has(familyId);
  }

  get size(): number {
    return this.keepUntilByFamily.size;
  }

  refresh(): void {
    const now = epochSeconds(this.clock);
    for (const revocation of this.tokens.revocationsSince(this.lastSeq, now)) {
      this.keepUntilByFamily.set(revocation.familyId, revocation.keepUntil);
      this.lastSeq = revocation.seq;
    }
    for (const [familyId, keepUntil] of this.keepUntilByFamily) {
      if (keepUntil <= now) this.keepUntilByFamily.delete(familyId);
    }
  }

  /** Returns a function that stops the polling. */
  startPolling(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      try {
        this.refresh();
      } catch (error) {
        onError(error);
      }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
