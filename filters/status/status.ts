/**
 * status(418): sets the response status in the response phase, typically on a `<shunt>` route
 * or to override a backend's status.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, integerArg } from '../../src/args.js';
import { Status } from '../names.js';

class StatusFilter implements Filter {
  constructor(private readonly status: number) {}

  // hot path: one property write.
  response(ctx: FilterContext): void {
    if (ctx.response !== null) ctx.response.status = this.status;
  }
}

export const status: FilterSpec = {
  name: Status,
  create(args: readonly Arg[]): Filter {
    expectCount(Status, args, 1);
    return new StatusFilter(integerArg(Status, args, 0, 'the status code', 100, 599));
  },
};
