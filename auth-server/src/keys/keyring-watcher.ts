import { type Keyring, loadKeyring, readCurrentKid } from './keyring';

/**
 * Keeps a running server's keyring in step with the key files, which the CLI changes from another
 * process: polling the small `current` pointer costs one read a second, and needs no signal that an
 * operator could forget.
 */
export class KeyringWatcher {
  constructor(
    private readonly keyring: Keyring,
    private readonly dir: string,
  ) {}

  /** Reloads the keys when `current` names another key than the one signing; returns the new kid then. */
  check(): string | undefined {
    if (readCurrentKid(this.dir) === this.keyring.current.kid) return undefined;
    // Loaded whole before the swap: a failed load leaves the server signing with the keys it had.
    this.keyring.replaceWith(loadKeyring(this.dir));
    return this.keyring.current.kid;
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
