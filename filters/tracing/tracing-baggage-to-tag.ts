/**
 * tracingBaggageToTag("item", "tag"?): tags the ingress span with the incoming W3C baggage item
 * `item` (tag name `tag`, or the item's own name). Skipper reads the item from the request's span,
 * that is from the baggage its propagators extracted; skiff does the same: the filter leaves a
 * BaggageItemValue under TracingTagsKey, and when the request finishes the tracing observer reads
 * the item from the context the propagator extracted from the `baggage` header (percent-decoded,
 * properties after `;` dropped, W3C's size limits). When the item is absent or empty, or the
 * configured propagators leave baggage out (OTEL_PROPAGATORS without `baggage`), no tag is set.
 * The request itself does no parsing here, so the filter costs an array push.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, nonEmptyStringArg } from '../../src/args.js';
import { BaggageItemValue } from '../../src/tracing/state-keys.js';
import { addTracingTag } from './tag-state.js';
import { TracingBaggageToTag } from '../names.js';

export class TracingBaggageToTagFilter implements Filter {
  private readonly value: BaggageItemValue;

  constructor(
    readonly item: string,
    readonly tagName: string,
  ) {
    // one shared, immutable value for every request
    this.value = new BaggageItemValue(item);
  }

  // hot path: an array push.
  request(ctx: FilterContext): void {
    addTracingTag(ctx, this.tagName, this.value);
  }
}

export const tracingBaggageToTag: FilterSpec = {
  name: TracingBaggageToTag,
  create(args: readonly Arg[]): Filter {
    const name = TracingBaggageToTag;
    expectCount(name, args, 1, 2, '1 or 2 strings (baggage item name, tag name)');
    const item = nonEmptyStringArg(name, args, 0, 'the baggage item name');
    const tag = args.length === 2 ? nonEmptyStringArg(name, args, 1, 'the tag name') : item;
    return new TracingBaggageToTagFilter(item, tag);
  },
};
