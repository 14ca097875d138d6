/**
 * disableAccessLog(codes...), enableAccessLog(codes...): whether this route's requests get an
 * access log line, by status (see src/accesslog/log-control.ts for how codes read: 2 is 2xx, 30
 * is 300-309, 404 is 404). Without codes, disable mutes the route's lines and enable keeps them.
 * The control is built once per route; a request only stores it in the state bag.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { integerArg } from '../../src/args.js';
import { ACCESS_LOG_CONTROL_KEY, AccessLogControl } from '../../src/accesslog/log-control.js';
import { DisableAccessLog, EnableAccessLog } from '../names.js';

class AccessLogControlFilter implements Filter {
  constructor(private readonly control: AccessLogControl) {}

  // hot path: one map write.
  request(ctx: FilterContext): void {
    ctx.state.set(ACCESS_LOG_CONTROL_KEY, this.control);
  }
}

/** Codes are whole numbers from 1 to 599: classes 1-5, decades 10-59, statuses 100-599. */
function controlOf(name: string, enable: boolean, args: readonly Arg[]): Filter {
  const codes = args.map((_, i) => integerArg(name, args, i, 'each status code or prefix', 1, 599));
  return new AccessLogControlFilter(new AccessLogControl(enable, codes));
}

export const disableAccessLog: FilterSpec = {
  name: DisableAccessLog,
  create: (args) => controlOf(DisableAccessLog, false, args),
};

export const enableAccessLog: FilterSpec = {
  name: EnableAccessLog,
  create: (args) => controlOf(EnableAccessLog, true, args),
};
