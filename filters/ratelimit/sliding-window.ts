/**
 * Skipper's local rate limiter: per key, at most `maxHits` requests within any `windowMs`. Each
 * key keeps the times of its last `maxHits` allowed requests in a ring; a request is allowed
 * when the oldest of them has left the window, and then takes its place. A refused request is
 * not recorded, so a client that keeps hammering is let through again as soon as the window
 * allows, as in Skipper.
 *
 * Memory: a ring grows with the requests a key makes, up to `maxHits` times of 8 bytes, so a
 * generous limit costs only what clients use of it. Keys come from clients (addresses, header
 * values), so they are bounded: a key whose newest request has left the window carries no
 * information and is swept; past `maxKeys` live keys the oldest one is forgotten, which lets that
 * client through early rather than let an attacker with many keys grow the process.
 */

interface Bucket {
  /** Allowed requests' times, oldest first until full, then a ring. */
  readonly times: number[];
  /** Slot of the oldest recorded time (the next to be overwritten). */
  next: number;
  /** Time of the newest allowed request. */
  last: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

export class SlidingWindowLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  constructor(
    readonly maxHits: number,
    readonly windowMs: number,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** hot path: one map lookup and a ring slot; `now` in ms. */
  allow(key: string, now: number): boolean {
    if (this.maxHits <= 0) return false;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (now - this.sweptAt >= this.windowMs) this.sweep(now);
      if (this.buckets.size >= this.maxKeys) this.forgetOldest();
      bucket = { times: [], next: 0, last: now };
      this.buckets.set(key, bucket);
    }
    const times = bucket.times;
    bucket.last = now;
    if (times.length < this.maxHits) {
      // fewer requests than the limit ever: nothing to compare with yet
      times.push(now);
      return true;
    }
    if (now - times[bucket.next]! < this.windowMs) return false;
    times[bucket.next] = now;
    bucket.next = (bucket.next + 1) % this.maxHits;
    return true;
  }

  /** Whole seconds until `key` may send again (at least 1 when refused now). */
  retryAfterSeconds(key: string, now: number): number {
    if (this.maxHits <= 0) return ZERO_LIMIT_RETRY_SECONDS;
    const bucket = this.buckets.get(key);
    if (bucket === undefined || bucket.times.length < this.maxHits) return 0;
    const waitMs = bucket.times[bucket.next]! + this.windowMs - now;
    return waitMs <= 0 ? 0 : Math.ceil(waitMs / 1000);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops keys whose newest request has left the window: they would allow a full window anyway. */
  sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.last >= this.windowMs) this.buckets.delete(key);
  }

  private forgetOldest(): void {
    const first = this.buckets.keys().next();
    if (first.done !== true) this.buckets.delete(first.value);
  }
}

/** What Skipper answers in Retry-After for a limit of zero hits: five years. */
export const ZERO_LIMIT_RETRY_SECONDS = 5 * 365 * 24 * 3600;
