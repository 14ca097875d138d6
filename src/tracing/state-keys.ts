/**
 * The filter state keys tracing reads. Filters do not see spans; they leave what they want on
 * the spans in the request's state bag, and the tracing observer applies it: the proxy span's
 * name when that span starts (the request filters have all run by then), the tags when the
 * request finishes.
 */

/**
 * A flat array of name/value pairs (`[name1, value1, name2, value2, …]`), set by `tracingTag`,
 * `tracingTagFromResponse(IfStatus)`, `stateBagToTag` and `tracingBaggageToTag`; later pairs with
 * the same name win. Names are strings; a value is a string, or a BaggageItemValue to be looked
 * up in the request's extracted baggage when the span ends.
 */
export const TracingTagsKey = 'skiff.tracing.tags';

/** The name of the `proxy` (client) span, set by `tracingSpanName`: a non-empty string. */
export const TracingProxySpanNameKey = 'skiff.tracing.proxySpanName';

/**
 * A tag value that is the incoming baggage item `item`, as the configured propagator extracted
 * it (`tracingBaggageToTag`). The tag is left out when there is no such item.
 */
export class BaggageItemValue {
  constructor(readonly item: string) {}
}
