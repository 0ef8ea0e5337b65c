import type { Clock } from '../clock';

interface Entry<T> {
  value: T;
  /** Epoch milliseconds; Infinity for answers that never change. */
  expiresAt: number;
}

/**
 * A bounded map of Orthanc's answers, with lookups in flight shared: the twenty frame requests a
 * viewer sends at once for one series make one call to Orthanc. Failures and `null` (not found
 * yet) are not kept. When full, the least recently used entry makes room.
 */
export class LookupCache<T> {
  private readonly known = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T | null>>();

  /** `maxAgeMs`: how long an answer that could change holds; omitted for answers that never change. */
  constructor(
    private readonly capacity: number,
    private readonly clock: Clock,
    private readonly maxAgeMs = Infinity,
  ) {}

  /** The answer if it is known, without a promise: the hot path stays synchronous on a hit. */
  peek(key: string): T | undefined {
    const entry = this.known.get(key);
    if (entry === undefined) return undefined;
    this.known.delete(key);
    // An answer that never changes needs no clock reading: the REST-by-id lookup of every scoped request.
    if (entry.expiresAt !== Infinity && entry.expiresAt <= this.clock.now()) return undefined;
    this.known.set(key, entry);
    return entry.value;
  }

  get(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const value = this.peek(key);
    if (value !== undefined) return Promise.resolve(value);
    let loading = this.pending.get(key);
    if (!loading) {
      loading = load()
        .then((loaded) => {
          if (loaded !== null) this.remember(key, loaded);
          return loaded;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, loading);
    }
    return loading;
  }

  private remember(key: string, value: T): void {
    if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, { value, expiresAt: this.clock.now() + this.maxAgeMs });
  }
}
