import { type Clock, epochSeconds } from '../clock';
import type { TokenRepository } from '../store/store';

/**
 * Revoked token families, held in memory so /verify never reads the database. Writes in this
 * process refresh it at once; `startPolling` picks up revocations made by other processes (the CLI).
 * Empty until the first `refresh` resolves: `load`, or createApp's `ready`, waits for it.
 */
export class RevocationList {
  private readonly keepUntilByFamily = new Map<string, number>();
  private lastSeq = 0;
  private loaded = false;
  /** The refresh running now, and the one queued behind it (shared by every caller that asks meanwhile). */
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly clock: Clock,
  ) {}

  /** A list holding every revocation recorded so far. */
  static async load(tokens: TokenRepository, clock: Clock): Promise<RevocationList> {
    const list = new RevocationList(tokens, clock);
    await list.refresh();
    return list;
  }

  /** Whether a first refresh has completed. */
  get ready(): boolean {
    return this.loaded;
  }

  has(familyId: string): boolean {
    return this.keepUntilByFamily.has(familyId);
  }

  get size(): number {
    return this.keepUntilByFamily.size;
  }

  /**
   * Reads the revocations recorded since the last read. Resolves after a read that began after
   * this call, so a caller that just revoked sees its own revocation; reads never overlap.
   */
  refresh(): Promise<void> {
    if (!this.queued) {
      const next = this.running.then(() => {
        this.queued = undefined;
        return this.readNew();
      });
      this.queued = next;
      this.running = next.catch(() => undefined);
    }
    return this.queued;
  }

  private async readNew(): Promise<void> {
    const now = epochSeconds(this.clock);
    for (const revocation of await this.tokens.revocationsSince(this.lastSeq, now)) {
      this.keepUntilByFamily.set(revocation.familyId, revocation.keepUntil);
      this.lastSeq = revocation.seq;
    }
    for (const [familyId, keepUntil] of this.keepUntilByFamily) {
      if (keepUntil <= now) this.keepUntilByFamily.delete(familyId);
    }
    this.loaded = true;
  }

  /** Returns a function that stops the polling. */
  startPolling(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
