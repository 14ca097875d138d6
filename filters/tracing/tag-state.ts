/**
 * What the tracing tag filters share: adding a pair to the state bag's TracingTagsKey array (the
 * tracing observer puts the pairs on the ingress span when the request finishes), and the
 * `("name", "value with ${...}")` arguments of tracingTag and tracingTagFromResponse.
 */
import type { Arg, FilterContext } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { BaggageItemValue, TracingTagsKey } from '../../src/tracing/state-keys.js';
import { nonEmptyStringArg, templateArg } from '../../src/args.js';

/** hot path: one map lookup and an array push; the array is made once per request. */
export function addTracingTag(ctx: FilterContext, name: string, value: string | BaggageItemValue): void {
  const state = ctx.state;
  let tags = state.get(TracingTagsKey) as unknown[] | undefined;
  if (!Array.isArray(tags)) {
    tags = [];
    state.set(TracingTagsKey, tags);
  }
  tags.push(name, value);
}

/** The tag value, templates expanded; null when a placeholder does not resolve. */
export function expandTagValue(template: Template, ctx: FilterContext): string | null {
  return template.constant ? template.text : template.expand(ctx);
}

/** A non-empty tag name at `index`. */
export function tagNameArg(filter: string, args: readonly Arg[], index: number): string {
  return nonEmptyStringArg(filter, args, index, 'the tag name');
}

/** A tag value template at `index`; an unknown `request.`/`response.` placeholder is refused. */
export function tagValueArg(filter: string, args: readonly Arg[], index: number): Template {
  return templateArg(filter, args, index, 'the tag value');
}
