/**
 * tracingTag("name", "value with ${...}"): sets an attribute on the request's `ingress` span.
 * Filters do not see spans, so the pair is left in the state bag under TracingTagsKey and the
 * tracing observer applies it when the request finishes. The value is a template expanded in
 * the request phase; when a placeholder does not resolve the tag is not set, as with
 * setRequestHeader. `tracingTag("http.flow_id", "${request.header.X-Flow-Id}")` links flow ids
 * and traces.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { compileTemplate } from '../../src/templates/template.js';
import { invalidArgs } from '../../src/errors.js';
import { TracingTagsKey } from '../../src/tracing/state-keys.js';
import { expectCount, stringArg } from '../../src/args.js';
import { TracingTag } from '../names.js';

export class TracingTagFilter implements Filter {
  constructor(
    readonly name: string,
    readonly value: Template,
  ) {}

  // hot path: one expansion and an array push; the array is made once per request.
  request(ctx: FilterContext): void {
    const value = this.value.constant ? this.value.text : this.value.expand(ctx);
    if (value === null) return;
    const state = ctx.state;
    let tags = state.get(TracingTagsKey) as string[] | undefined;
    if (tags === undefined) {
      tags = [];
      state.set(TracingTagsKey, tags);
    }
    tags.push(this.name, value);
  }
}

export const tracingTag: FilterSpec = {
  name: TracingTag,
  create(args: readonly Arg[]): Filter {
    expectCount(TracingTag, args, 2);
    const name = stringArg(TracingTag, args, 0, 'the tag name');
    if (name === '') throw invalidArgs(TracingTag, 'the tag name may not be empty');
    const text = stringArg(TracingTag, args, 1, 'the tag value');
    try {
      return new TracingTagFilter(name, compileTemplate(text));
    } catch (err) {
      throw invalidArgs(TracingTag, (err as Error).message);
    }
  },
};
