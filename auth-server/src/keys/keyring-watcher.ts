import type { Clock } from '../clock';
import { type Keyring, loadKeyring, readCurrentKid } from './keyring';

/**
 * How often a token naming a key this process does not know may make it look at the key files. A
 * rotation on another replica is seen here at the next poll anyway; this only closes the gap before
 * it. Forged kids cost nothing more than one read of `current` per interval, however many arrive.
 */
export const UNKNOWN_KID_LOOK_MS = 100;

/**
 * Keeps a running server's keyring in step with the key files, which the CLI or another replica
 * sharing the directory changes: polling the small `current` pointer costs one read per interval,
 * and needs no signal that an operator could forget.
 */
export class KeyringWatcher {
  private lastUnknownKidLook = -Infinity;

  constructor(
    private readonly keyring: Keyring,
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  /** Reloads the keys when `current` names another key than the one signing; returns the new kid then. */
  check(): string | undefined {
    if (readCurrentKid(this.dir) === this.keyring.current.kid) return undefined;
    // Loaded whole before the swap: a failed load leaves the server signing with the keys it had.
    this.keyring.replaceWith(loadKeyring(this.dir));
    return this.keyring.current.kid;
  }

  /**
   * For a token whose kid the keyring lacks: checks the files at once (a replica rotated a moment
   * ago), at most once per UNKNOWN_KID_LOOK_MS. Never throws: a bad key file is the poll's to report.
   */
  lookForUnknownKid(): 'looked' | 'rate-limited' {
    const now = this.clock.now();
    if (now - this.lastUnknownKidLook < UNKNOWN_KID_LOOK_MS) return 'rate-limited';
    this.lastUnknownKidLook = now;
    try {
      this.check();
    } catch {
      // The keyring stays as it was; the poll logs the failure.
    }
    return 'looked';
  }

  /** Returns a function that stops the polling. */
  startPolling(intervalMs: number, onRotated: (kid: string) => void, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      try {
        const kid = this.check();
        if (kid) onRotated(kid);
      } catch (error) {
        onError(error);
      }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
