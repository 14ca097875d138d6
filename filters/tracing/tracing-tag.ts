/**
 * tracingTag("name", "value with ${...}"): sets an attribute on the request's `ingress` span.
 * Filters do not see spans, so the pair is left in the state bag under TracingTagsKey and the
 * tracing observer applies it when the request finishes. The value is a template expanded in
 * the request phase; when a placeholder does not resolve the tag is not set, as with
 * setRequestHeader. `tracingTag("http.flow_id", "${request.header.X-Flow-Id}")` links flow ids
 * and traces. tracingTagFromResponse (tracing-tag-from-response.ts) does the same in the
 * response phase.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { expectCount } from '../../src/args.js';
import { addTracingTag, expandTagValue, tagNameArg, tagValueArg } from './tag-state.js';
import { TracingTag } from '../names.js';

export class TracingTagFilter implements Filter {
  constructor(
    readonly name: string,
    readonly value: Template,
  ) {}

  // hot path: one expansion and an array push.
  request(ctx: FilterContext): void {
    const value = expandTagValue(this.value, ctx);
    if (value !== null) addTracingTag(ctx, this.name, value);
  }
}

export const tracingTag: FilterSpec = {
  name: TracingTag,
  create(args: readonly Arg[]): Filter {
    expectCount(TracingTag, args, 2);
    return new TracingTagFilter(tagNameArg(TracingTag, args, 0), tagValueArg(TracingTag, args, 1));
  },
};
