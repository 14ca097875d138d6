/**
 * tracingTagFromResponse, tracingTagFromResponseIfStatus, tracingSpanName, tracingBaggageToTag
 * and stateBagToTag on their own: their arguments, and what each leaves in the state bag for the
 * tracing observer (test/tracing/tracing-filters.e2e.test.ts checks the spans).
 */
import { describe, expect, it } from 'vitest';
import { tracingTag } from '../../../filters/tracing/tracing-tag.js';
import { tracingTagFromResponse, tracingTagFromResponseIfStatus } from '../../../filters/tracing/tracing-tag-from-response.js';
import { tracingSpanName } from '../../../filters/tracing/tracing-span-name.js';
import { tracingBaggageToTag } from '../../../filters/tracing/tracing-baggage-to-tag.js';
import { stateBagToTag } from '../../../filters/tracing/state-bag-to-tag.js';
import { builtinFilters } from '../../../filters/index.js';
import { BaggageItemValue, TracingProxySpanNameKey, TracingTagsKey } from '../../../src/tracing/state-keys.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

const tagsOf = (ctx: { state: Map<string, unknown> }): unknown => ctx.state.get(TracingTagsKey);

describe('tracingTagFromResponse', () => {
  it('tags in the response phase, with response and request placeholders', () => {
    const ctx = filterContext({ url: '/orders', headers: { 'x-flow-id': 'flow-1' } });
    const cache = createFilter(tracingTagFromResponse, 'cache', '${response.header.X-Cache} for ${request.header.X-Flow-Id}');
    const fixed = createFilter(tracingTagFromResponse, 'team', 'payments');
    runRequest(cache, ctx);
    runRequest(fixed, ctx);
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
    runResponse(cache, ctx, { status: 200, headers: { 'x-cache': 'HIT' } });
    runResponse(fixed, ctx);
    expect(tagsOf(ctx)).toEqual(['cache', 'HIT for flow-1', 'team', 'payments']);
  });

  it('sets nothing when a placeholder does not resolve', () => {
    const ctx = filterContext();
    runResponse(createFilter(tracingTagFromResponse, 'cache', '${response.header.X-Cache}'), ctx, { status: 200 });
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('adds to the pairs tracingTag left in the request phase', () => {
    const ctx = filterContext();
    runRequest(createFilter(tracingTag, 'a', '1'), ctx);
    runResponse(createFilter(tracingTagFromResponse, 'b', '2'), ctx, { status: 404 });
    expect(tagsOf(ctx)).toEqual(['a', '1', 'b', '2']);
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(tracingTagFromResponse, []);
    expectInvalidArgs(tracingTagFromResponse, ['only-name']);
    expectInvalidArgs(tracingTagFromResponse, ['n', 'v', 'extra']);
    expectInvalidArgs(tracingTagFromResponse, ['', 'v']);
    expectInvalidArgs(tracingTagFromResponse, [3, 'v']);
    expectInvalidArgs(tracingTagFromResponse, ['n', 3]);
    expectInvalidArgs(tracingTagFromResponse, ['n', '${response.nonsense}']);
  });
});

describe('tracingTagFromResponseIfStatus', () => {
  function tagged(status: number, min: number, max: number): boolean {
    const ctx = filterContext();
    runResponse(createFilter(tracingTagFromResponseIfStatus, 'error', 'true', min, max), ctx, { status });
    return ctx.state.has(TracingTagsKey);
  }

  it('tags only statuses within [min, max], both ends included', () => {
    expect(tagged(500, 500, 599)).toBe(true);
    expect(tagged(599, 500, 599)).toBe(true);
    expect(tagged(503, 500, 599)).toBe(true);
    expect(tagged(499, 500, 599)).toBe(false);
    expect(tagged(200, 500, 599)).toBe(false);
    expect(tagged(429, 429, 429)).toBe(true);
    expect(tagged(430, 429, 429)).toBe(false);
    expect(tagged(428, 429, 429)).toBe(false);
  });

  it('cuts fractional bounds to whole numbers, as Skipper does', () => {
    expect(tagged(499, 499.9, 599)).toBe(true);
    expect(tagged(501, 500, 500.9)).toBe(false);
    expect(tagged(500, 500, 500.9)).toBe(true);
  });

  it('expands the value like tracingTagFromResponse', () => {
    const ctx = filterContext({ headers: { 'x-user-id': 'u-7' } });
    runResponse(createFilter(tracingTagFromResponseIfStatus, 'user.id', '${request.header.X-User-Id}', 429, 429), ctx, { status: 429 });
    expect(tagsOf(ctx)).toEqual(['user.id', 'u-7']);
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true']);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', 500]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', 500, 599, 1]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', '500', 599]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', 500, '599']);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['', 'true', 500, 599]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 7, 500, 599]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', '${request.nonsense}', 500, 599]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', -1, 599]);
    expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', 500, 600]);
    const reversed = expectInvalidArgs(tracingTagFromResponseIfStatus, ['error', 'true', 599, 500]);
    expect(reversed.message).toContain('above the maximum');
    // the widest range Skipper accepts
    expect(() => createFilter(tracingTagFromResponseIfStatus, 'e', 't', 0, 599)).not.toThrow();
  });
});

describe('tracingSpanName', () => {
  it('leaves the proxy span name in the state bag; the last one wins', () => {
    const ctx = filterContext();
    runRequest(createFilter(tracingSpanName, 'first'), ctx);
    runRequest(createFilter(tracingSpanName, 'orders-backend'), ctx);
    expect(ctx.state.get(TracingProxySpanNameKey)).toBe('orders-backend');
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(tracingSpanName, []);
    expectInvalidArgs(tracingSpanName, ['']);
    expectInvalidArgs(tracingSpanName, [1]);
    expectInvalidArgs(tracingSpanName, ['a', 'b']);
  });
});

describe('tracingBaggageToTag', () => {
  it('leaves a baggage item reference for the observer, named after the item unless a tag is given', () => {
    const ctx = filterContext({ headers: { baggage: 'tenant=acme' } });
    runRequest(createFilter(tracingBaggageToTag, 'tenant'), ctx);
    runRequest(createFilter(tracingBaggageToTag, 'user.id', 'user'), ctx);
    const tags = tagsOf(ctx) as unknown[];
    expect(tags).toHaveLength(4);
    expect(tags[0]).toBe('tenant');
    expect(tags[1]).toBeInstanceOf(BaggageItemValue);
    expect((tags[1] as BaggageItemValue).item).toBe('tenant');
    expect(tags[2]).toBe('user');
    expect((tags[3] as BaggageItemValue).item).toBe('user.id');
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(tracingBaggageToTag, []);
    expectInvalidArgs(tracingBaggageToTag, ['']);
    expectInvalidArgs(tracingBaggageToTag, ['item', '']);
    expectInvalidArgs(tracingBaggageToTag, [1]);
    expectInvalidArgs(tracingBaggageToTag, ['item', 2]);
    expectInvalidArgs(tracingBaggageToTag, ['item', 'tag', 'extra']);
  });
});

describe('stateBagToTag', () => {
  it('tags the entry as it is when the filter runs, under the key or the given tag name', () => {
    const ctx = filterContext();
    ctx.state.set('auth-user', 'jdoe');
    runRequest(createFilter(stateBagToTag, 'auth-user', 'client_id'), ctx);
    runRequest(createFilter(stateBagToTag, 'auth-user'), ctx);
    expect(tagsOf(ctx)).toEqual(['client_id', 'jdoe', 'auth-user', 'jdoe']);
  });

  it('sets nothing when the key is missing', () => {
    const ctx = filterContext();
    ctx.state.set('other', 'x');
    runRequest(createFilter(stateBagToTag, 'auth-user'), ctx);
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('reads in the request phase only: a later entry is not seen', () => {
    const ctx = filterContext();
    const filter = createFilter(stateBagToTag, 'late');
    runRequest(filter, ctx);
    ctx.state.set('late', 'value');
    runResponse(filter, ctx, { status: 200 });
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('writes other values as Go fmt.Sprint does', () => {
    const ctx = filterContext();
    ctx.state.set('n', 42);
    ctx.state.set('f', 1.5e-5);
    ctx.state.set('b', true);
    ctx.state.set('list', ['a', 'b']);
    ctx.state.set('obj', { z: 1, a: 'x' });
    ctx.state.set('nil', undefined);
    for (const key of ['n', 'f', 'b', 'list', 'obj', 'nil']) runRequest(createFilter(stateBagToTag, key), ctx);
    expect(tagsOf(ctx)).toEqual(['n', '42', 'f', '1.5e-05', 'b', 'true', 'list', '[a b]', 'obj', 'map[a:x z:1]', 'nil', '<nil>']);
  });

  it('never throws on a value that cannot be written', () => {
    const ctx = filterContext();
    const hostile = {
      get boom(): string {
        throw new Error('getter');
      },
    };
    ctx.state.set('hostile', hostile);
    expect(() => runRequest(createFilter(stateBagToTag, 'hostile'), ctx)).not.toThrow();
    expect(ctx.state.has(TracingTagsKey)).toBe(false);
  });

  it('rejects bad arguments', () => {
    expectInvalidArgs(stateBagToTag, []);
    expectInvalidArgs(stateBagToTag, ['']);
    expectInvalidArgs(stateBagToTag, ['key', '']);
    expectInvalidArgs(stateBagToTag, [1]);
    expectInvalidArgs(stateBagToTag, ['key', 2]);
    expectInvalidArgs(stateBagToTag, ['key', 'tag', 'extra']);
  });
});

describe('registration', () => {
  it('registers the tracing filters under their Skipper names', () => {
    const names = new Set(builtinFilters().map((s) => s.name));
    for (const name of ['tracingTag', 'tracingTagFromResponse', 'tracingTagFromResponseIfStatus', 'tracingSpanName', 'tracingBaggageToTag', 'stateBagToTag']) {
      expect(names.has(name), name).toBe(true);
    }
  });
});
