/**
 * consistentHashBalanceFactor(1.25): bounded load for the consistentHash balancer, as in
 * Skipper. The endpoint the key hashes to is used while it has no more than factor times the
 * average number of requests in flight (this one counted); otherwise the next endpoint clockwise
 * on the ring that is under that bound. The factor must be at least 1. In-flight counts are those
 * of this process (one worker with --workers N).
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, numberArg } from '../../src/args.js';
import { CONSISTENT_HASH_BALANCE_FACTOR } from '../../src/backend/balancer.js';
import { ConsistentHashBalanceFactor } from '../names.js';

class ConsistentHashBalanceFactorFilter implements Filter {
  constructor(private readonly factor: number) {}

  // hot path: one map write.
  request(ctx: FilterContext): void {
    ctx.state.set(CONSISTENT_HASH_BALANCE_FACTOR, this.factor);
  }
}

export const consistentHashBalanceFactor: FilterSpec = {
  name: ConsistentHashBalanceFactor,
  create(args: readonly Arg[]): Filter {
    expectCount(ConsistentHashBalanceFactor, args, 1);
    const factor = numberArg(ConsistentHashBalanceFactor, args, 0, 'the balance factor');
    if (factor < 1) throw invalidArgs(ConsistentHashBalanceFactor, `the balance factor must be at least 1, got ${factor}`);
    return new ConsistentHashBalanceFactorFilter(factor);
  },
};
