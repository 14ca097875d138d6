/**
 * consistentHashKey("${request.header.X-User}"): the key the consistentHash balancer hashes
 * for this request, instead of the client address. The argument is a template; when one of its
 * placeholders cannot be resolved, the key is left as it was (unset, or what an earlier
 * consistentHashKey set), as in Skipper, so the client address is used. A later
 * consistentHashKey that resolves overwrites an earlier one.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, templateArg } from '../../src/args.js';
import type { Template } from '../../src/templates/template.js';
import { CONSISTENT_HASH_KEY } from '../../src/backend/balancer.js';
import { ConsistentHashKey } from '../names.js';

class ConsistentHashKeyFilter implements Filter {
  constructor(private readonly key: Template) {}

  // hot path: a template expansion and one map write.
  request(ctx: FilterContext): void {
    const key = this.key.constant ? this.key.text : this.key.expand(ctx);
    if (key !== null) ctx.state.set(CONSISTENT_HASH_KEY, key);
  }
}

export const consistentHashKey: FilterSpec = {
  name: ConsistentHashKey,
  create(args: readonly Arg[]): Filter {
    expectCount(ConsistentHashKey, args, 1);
    return new ConsistentHashKeyFilter(templateArg(ConsistentHashKey, args, 0, 'the key template'));
  },
};
