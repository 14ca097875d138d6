/**
 * The limiters of all rate-limited routes, process-wide and keyed by their settings, as
 * Skipper's registry keys them. Two consequences users of Skipper rely on: the counts survive a
 * route table rebuild (Ingresses change all the time), and routes with the same settings share
 * one limiter. `zalando.org/skipper-filter: ratelimit(100, "1m")` is put on every route of an
 * Ingress, and limits the Ingress as a whole, not each of its paths.
 *
 * Limiters unused for ten windows (at least a minute) are dropped by a sweep.
 */
import { SlidingWindowLimiter } from './sliding-window.js';

export interface LimiterEntry {
  readonly limiter: SlidingWindowLimiter;
  /** Set by the filters on use (ms). */
  lastUsed: number;
  /** Set when the sweep dropped it: a filter holding it asks for its successor. */
  swept: boolean;
}

const limiters = new Map<string, LimiterEntry>();
let sweeper: NodeJS.Timeout | null = null;

/** `kind` and `lookup` tell limiters apart that count different things with equal numbers. */
export function limiterFor(kind: string, lookup: string, maxHits: number, windowMs: number): LimiterEntry {
  const key = `${kind}\u0000${lookup}\u0000${maxHits}\u0000${windowMs}`;
  let entry = limiters.get(key);
  if (entry === undefined) {
    entry = { limiter: new SlidingWindowLimiter(maxHits, windowMs), lastUsed: Date.now(), swept: false };
    limiters.set(key, entry);
    startSweeper();
  }
  return entry;
}

export function limiterCount(): number {
  return limiters.size;
}

/** Drops limiters idle for ten of their windows (at least a minute); exported for tests. */
export function sweepLimiters(now = Date.now()): void {
  for (const [key, entry] of limiters) {
    if (now - entry.lastUsed > Math.max(60_000, 10 * entry.limiter.windowMs)) {
      entry.swept = true;
      limiters.delete(key);
    }
  }
  if (limiters.size === 0 && sweeper !== null) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function startSweeper(): void {
  if (sweeper !== null) return;
  sweeper = setInterval(() => sweepLimiters(), 60_000);
  sweeper.unref();
}
