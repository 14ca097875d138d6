/**
 * disableRatelimit(): in Skipper, exempts a route from the rate limits set for the whole
 * instance (`-ratelimits`). skiff has no instance-wide limits, so there is nothing to exempt
 * from; the filter is accepted so that routes written for Skipper keep working.
 */
import { expectCount } from '../../src/args.js';
import type { Arg, Filter, FilterSpec } from '../../src/spec.js';
import { DisableRatelimit } from '../names.js';

export const disableRatelimit: FilterSpec = {
  name: DisableRatelimit,
  create(args: readonly Arg[]): Filter {
    expectCount(DisableRatelimit, args, 0);
    return {};
  },
};
