/**
 * Collapses a burst of triggers into one call: the call runs waitMs after the last trigger,
 * but never later than maxWaitMs after the first one of the burst, so that a steady stream
 * of changes still gets through.
 */

export interface DebounceOptions {
  readonly waitMs: number;
  readonly maxWaitMs: number;
}

export class Debouncer {
  private readonly fn: () => void;
  private readonly waitMs: number;
  private readonly maxWaitMs: number;
  private timer: NodeJS.Timeout | undefined;
  private firstAt = 0;

  constructor(fn: () => void, options: DebounceOptions) {
    this.fn = fn;
    this.waitMs = Math.max(0, options.waitMs);
    this.maxWaitMs = Math.max(this.waitMs, options.maxWaitMs);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  trigger(): void {
    const now = Date.now();
    if (this.timer === undefined) this.firstAt = now;
    else clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(this.waitMs, this.firstAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => this.flush(), delay);
  }

  /** Runs the call now if one is pending. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fn();
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
