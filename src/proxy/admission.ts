/**
 * The cap on requests in flight in one process. Past the cap a request is answered 503 at once
 * instead of queueing: under overload a fast refusal keeps memory flat and lets the load
 * balancer retry elsewhere, where an unbounded queue would only add latency until memory runs out.
 * A pipelined request waiting for its turn on its connection holds a slot too (see awaitTurn in
 * src/proxy/handler.ts), so the cap counts every request skiff holds, not only those it runs.
 */
import type { ProxyOptions } from './options.js';

export class Admission {
  private inFlight = 0;
  /** Shared by every request: bound once so `res.on('close', leave)` allocates nothing. */
  readonly leave = (): void => {
    this.inFlight--;
  };

  constructor(readonly limit: number) {}

  /** hot path: true when the request may proceed; the caller must then call `leave` once. */
  tryEnter(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    return true;
  }

  get current(): number {
    return this.inFlight;
  }
}

// Listeners of one skiff share one options object, so they share the process-wide count.
const byOptions = new WeakMap<ProxyOptions, Admission>();

/** The admission of a skiff instance, or null when there is no cap. */
export function admissionFor(options: ProxyOptions): Admission | null {
  if (!(options.maxConcurrentRequests > 0)) return null;
  let a = byOptions.get(options);
  if (a === undefined) {
    a = new Admission(options.maxConcurrentRequests);
    byOptions.set(options, a);
  }
  return a;
}
