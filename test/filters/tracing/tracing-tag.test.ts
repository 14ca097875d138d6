import { describe, expect, it } from 'vitest';
import { tracingTag } from '../../../filters/tracing/tracing-tag.js';
import { TracingTagsKey } from '../../../src/tracing/state-keys.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('tracingTag', () => {
  it('leaves name/value pairs in the state bag, templates expanded', () => {
    const ctx = filterContext({ url: '/orders/42', headers: { 'x-flow-id': 'flow-1' } });
    runRequest(createFilter(tracingTag, 'http.flow_id', '${request.header.X-Flow-Id}'), ctx);
    runRequest(createFilter(tracingTag, 'team', 'payments'), ctx);
    runRequest(createFilter(tracingTag, 'path', 'at ${request.path}'), ctx);
    expect(ctx.state.get(TracingTagsKey)).toEqual(['http.flow_id', 'flow-1', 'team', 'payments', 'path', 'at /orders/42']);
  });

  it('sets nothing when a placeholder does not resolve', () => {
    const ctx = filterContext();
    runRequest(createFilter(tracingTag, 'http.flow_id', '${request.header.X-Flow-Id}'), ctx);
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(tracingTag, []);
    expectInvalidArgs(tracingTag, ['only-name']);
    expectInvalidArgs(tracingTag, ['', 'v']);
    expectInvalidArgs(tracingTag, [1, 'v']);
    expectInvalidArgs(tracingTag, ['n', 2]);
    expectInvalidArgs(tracingTag, ['n', '${request.nonsense}']);
  });
});
