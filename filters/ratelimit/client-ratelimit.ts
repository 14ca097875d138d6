/**
 * clientRatelimit(maxHits, "window", "Header,…"?): Skipper's per-client rate limit. Each client
 * (client-key.ts says which requests count as one) gets at most `maxHits` requests within any
 * `window`; more are answered 429 with Retry-After. Counts are shared by the routes with the
 * same settings and survive table rebuilds (limiters.ts), and are kept per process: with
 * `--workers N`, a client whose connections land on different workers may get up to N × maxHits.
 * `localRatelimit` is Skipper's old name for it.
 */
import { expectCount, nonEmptyStringArg } from '../../src/args.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { clientKeyOf, type ClientKey } from './client-key.js';
import { limiterFor, type LimiterEntry } from './limiters.js';
import { limitedReply } from './reply.js';
import { maxHitsArg, windowArg } from './window-arg.js';
import { ClientRatelimit, LocalRatelimit } from '../names.js';

class ClientRatelimitFilter implements Filter {
  private entry: LimiterEntry | null = null;

  constructor(
    private readonly maxHits: number,
    private readonly windowMs: number,
    private readonly lookup: string,
    private readonly keyOf: ClientKey,
  ) {}

  // hot path: the key, a clock read, one map lookup and a ring slot
  request(ctx: FilterContext): void {
    const key = this.keyOf(ctx.request);
    if (key === '') return;
    let entry = this.entry;
    if (entry === null || entry.swept) entry = this.entry = limiterFor(ClientRatelimit, this.lookup, this.maxHits, this.windowMs);
    const now = performance.now();
    entry.lastUsed = Date.now();
    const limiter = entry.limiter;
    if (limiter.allow(key, now)) return;
    ctx.serve(limitedReply(429, this.maxHits, this.windowMs, limiter.retryAfterSeconds(key, now)));
  }
}

function spec(name: string): FilterSpec {
  return {
    name,
    create(args: readonly Arg[]): Filter {
      expectCount(name, args, 2, 3);
      const maxHits = maxHitsArg(name, args, 0);
      const windowMs = windowArg(name, args, 1);
      const lookup = args.length === 3 ? nonEmptyStringArg(name, args, 2, 'the header names') : undefined;
      return new ClientRatelimitFilter(maxHits, windowMs, lookup?.toLowerCase() ?? '', clientKeyOf(lookup));
    },
  };
}

export const clientRatelimit = spec(ClientRatelimit);
export const localRatelimit = spec(LocalRatelimit);
