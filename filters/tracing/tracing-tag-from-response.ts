/**
 * tracingTagFromResponse("name", "value with ${...}") and
 * tracingTagFromResponseIfStatus("name", "value", min, max): tracingTag in the response phase,
 * so the value may use `${response.header.X}` placeholders; the IfStatus form only tags
 * responses whose status is within [min, max]. As with tracingTag, a value whose placeholder
 * does not resolve sets nothing. The response phase runs for a backend's response and for local
 * replies (shunt, serve()), not when skiff answers a failed backend call with its own error, so
 * a 502 after a refused connection is not tagged; the ingress span has the error status then.
 *
 * Bounds follow Skipper: numbers cut to whole ones, min at least 0, max at most 599, min <= max.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { invalidArgs } from '../../src/errors.js';
import { expectCount, numberArg } from '../../src/args.js';
import { addTracingTag, expandTagValue, tagNameArg, tagValueArg } from './tag-state.js';
import { TracingTagFromResponse, TracingTagFromResponseIfStatus } from '../names.js';

export class TracingTagFromResponseFilter implements Filter {
  constructor(
    readonly name: string,
    readonly value: Template,
    /** Inclusive status bounds; none for tracingTagFromResponse. */
    readonly minStatus = -Infinity,
    readonly maxStatus = Infinity,
  ) {}

  // hot path: two comparisons, then one expansion and an array push.
  response(ctx: FilterContext): void {
    const response = ctx.response;
    if (response === null) return;
    const status = response.status;
    if (status < this.minStatus || status > this.maxStatus) return;
    const value = expandTagValue(this.value, ctx);
    if (value !== null) addTracingTag(ctx, this.name, value);
  }
}

export const tracingTagFromResponse: FilterSpec = {
  name: TracingTagFromResponse,
  create(args: readonly Arg[]): Filter {
    const name = TracingTagFromResponse;
    expectCount(name, args, 2);
    return new TracingTagFromResponseFilter(tagNameArg(name, args, 0), tagValueArg(name, args, 1));
  },
};

/** A status bound as Skipper reads it: Go's int() of the number, so 499.9 is 499. */
function statusBound(filter: string, args: readonly Arg[], index: number, what: string): number {
  const n = Math.trunc(numberArg(filter, args, index, what));
  return n === 0 ? 0 : n;
}

export const tracingTagFromResponseIfStatus: FilterSpec = {
  name: TracingTagFromResponseIfStatus,
  create(args: readonly Arg[]): Filter {
    const name = TracingTagFromResponseIfStatus;
    expectCount(name, args, 4, 4, '4 arguments (tag name, value, minimum and maximum status)');
    const tag = tagNameArg(name, args, 0);
    const value = tagValueArg(name, args, 1);
    const min = statusBound(name, args, 2, 'the minimum status');
    const max = statusBound(name, args, 3, 'the maximum status');
    if (min < 0) throw invalidArgs(name, `the minimum status must be at least 0, got ${min}`);
    if (max > 599) throw invalidArgs(name, `the maximum status must be at most 599, got ${max}`);
    if (min > max) throw invalidArgs(name, `the minimum status ${min} is above the maximum ${max}`);
    return new TracingTagFromResponseFilter(tag, value, min, max);
  },
};
