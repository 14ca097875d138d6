/**
 * The filter state keys tracing reads. Filters do not see spans; they leave what they want on
 * the ingress span in the request's state bag, and the tracing observer applies it when the
 * request finishes.
 */

/**
 * A flat `string[]` of name/value pairs (`[name1, value1, name2, value2, …]`), set by
 * `tracingTag`; later pairs with the same name win.
 */
export const TracingTagsKey = 'skiff.tracing.tags';
