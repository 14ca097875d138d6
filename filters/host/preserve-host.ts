/**
 * preserveHost("true"|"false"): per route, whether the client's Host is sent upstream (true) or
 * the backend's address (false). A Host set by setRequestHeader wins over either.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { PreserveHost } from '../names.js';

class PreserveHostFilter implements Filter {
  constructor(private readonly preserve: boolean) {}

  // hot path: one property write.
  request(ctx: FilterContext): void {
    ctx.outgoing.preserveHost = this.preserve;
  }
}

export const preserveHost: FilterSpec = {
  name: PreserveHost,
  create(args: readonly Arg[]): Filter {
    expectCount(PreserveHost, args, 1);
    const value = stringArg(PreserveHost, args, 0, 'the flag');
    if (value !== 'true' && value !== 'false') {
      throw invalidArgs(PreserveHost, `expects "true" or "false", got ${JSON.stringify(value)}`);
    }
    return new PreserveHostFilter(value === 'true');
  },
};
