/**
 * Retry delays for the watch loop: exponential growth to a cap with jitter, so that many
 * routers restarting their watches after an API outage do not hit the server in step. The
 * jitter is drawn between the initial delay and the current ceiling; the floor keeps a run
 * of small random draws from turning into a burst of retries.
 */

import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** A source of numbers in [0, 1); tests pass a fixed one. */
  readonly random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = Math.max(1, options.initialMs ?? 200);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 30_000);
    this.random = options.random ?? Math.random;
  }

  /** Failures since the last reset. */
  get failures(): number {
    return this.attempt;
  }

  /** The delay before the next try; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(this.initialMs + this.random() * (ceiling - this.initialMs));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Waits ms, or less if the signal aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted: the caller checks the signal
  }
}
