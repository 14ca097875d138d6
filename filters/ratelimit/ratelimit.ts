/**
 * ratelimit(maxHits, "window", status?): Skipper's service rate limit. At most `maxHits`
 * requests within any `window` reach the backend through this process; the others are answered
 * `status` (429 by default) with Retry-After. One count per settings, shared by the routes that
 * use the same ones (see limiters.ts).
 *
 * Counted per process: with `--workers N` each worker counts on its own, as each Skipper
 * instance of a fleet does, so a node allows up to N × maxHits.
 */
import { expectCount, integerArg } from '../../src/args.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { limiterFor, type LimiterEntry } from './limiters.js';
import { limitedReply } from './reply.js';
import { maxHitsArg, windowArg } from './window-arg.js';
import { Ratelimit } from '../names.js';

/** The service limit has one bucket. */
const SAME_BUCKET = 's';

class RatelimitFilter implements Filter {
  private entry: LimiterEntry | null = null;

  constructor(
    private readonly maxHits: number,
    private readonly windowMs: number,
    private readonly status: number,
  ) {}

  // hot path: a clock read and one ring slot
  request(ctx: FilterContext): void {
    let entry = this.entry;
    if (entry === null || entry.swept) entry = this.entry = limiterFor(Ratelimit, '', this.maxHits, this.windowMs);
    const now = performance.now();
    entry.lastUsed = Date.now();
    const limiter = entry.limiter;
    if (limiter.allow(SAME_BUCKET, now)) return;
    ctx.serve(limitedReply(this.status, this.maxHits, this.windowMs, limiter.retryAfterSeconds(SAME_BUCKET, now)));
  }
}

export const ratelimit: FilterSpec = {
  name: Ratelimit,
  create(args: readonly Arg[]): Filter {
    expectCount(Ratelimit, args, 2, 3);
    const maxHits = maxHitsArg(Ratelimit, args, 0);
    const windowMs = windowArg(Ratelimit, args, 1);
    const status = args.length === 3 ? integerArg(Ratelimit, args, 2, 'the status code', 100, 599) : 429;
    return new RatelimitFilter(maxHits, windowMs, status);
  },
};
