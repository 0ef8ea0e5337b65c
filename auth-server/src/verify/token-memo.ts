/** A bounded map keyed by the exact token text; when full, the oldest entry makes room. */
export class TokenMemo<T> {
  private readonly byToken = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get(token: string): T | undefined {
    return this.byToken.get(token);
  }

  remember(token: string, value: T): void {
    if (this.byToken.size >= this.capacity) {
      // Oldest first: Map iterates in insertion order.
      this.byToken.delete(this.byToken.keys().next().value as string);
    }
    this.byToken.set(token, value);
  }

  forget(token: string): void {
    this.byToken.delete(token);
  }
}
