/**
 * Verified tokens remembered for a short while, so that a client sending the same token again
 * skips signature verification: a bounded LRU keyed by the token text. Each entry carries its
 * own deadline (the earlier of the token's `exp` and the cache TTL), checked on every read, so
 * an entry is never served after the token expired. Only successful verifications are stored.
 */
export interface Expiring {
  /** Epoch ms after which the entry must not be used. */
  readonly expiresAt: number;
}

export class TokenCache<V extends Expiring> {
  // Map keeps insertion order: the first key is the least recently used
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** hot path: one lookup, and a move to the back on a hit. */
  get(token: string, now: number): V | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: V): void {
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }

  clear(): void {
    this.entries.clear();
  }
}
