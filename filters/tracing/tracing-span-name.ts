/**
 * tracingSpanName("name"): names the route's `proxy` span, the client span around the backend
 * call, as Skipper does. The name is left in the state bag under TracingProxySpanNameKey in the
 * request phase; the tracing observer starts the proxy span with it, after all request filters
 * have run (the last tracingSpanName wins, e.g. across a `<loopback>`). A request that never
 * reaches a backend (shunt, a local reply) has no proxy span, and the name goes unused. The
 * `ingress` span keeps its name.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, nonEmptyStringArg } from '../../src/args.js';
import { TracingProxySpanNameKey } from '../../src/tracing/state-keys.js';
import { TracingSpanName } from '../names.js';

export class TracingSpanNameFilter implements Filter {
  constructor(readonly spanName: string) {}

  // hot path: one map write.
  request(ctx: FilterContext): void {
    ctx.state.set(TracingProxySpanNameKey, this.spanName);
  }
}

export const tracingSpanName: FilterSpec = {
  name: TracingSpanName,
  create(args: readonly Arg[]): Filter {
    expectCount(TracingSpanName, args, 1);
    return new TracingSpanNameFilter(nonEmptyStringArg(TracingSpanName, args, 0, 'the span name'));
  },
};
