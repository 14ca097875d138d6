import { describe, expect, it } from 'vitest';
import { dropQuery } from '../../../filters/query/drop-query.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('dropQuery: arguments', () => {
  it.each([[[]], [['a', 'b']], [[1]], [[{ regexp: 'a' }]], [['${request.nope}']]] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(dropQuery, args);
  });
});

describe('dropQuery', () => {
  it.each([
    // [key, request target, outgoing query]
    ['foo', '/path?foo=1&bar=2', 'bar=2'],
    ['${param1}', '/path?foo=1&bar=2', 'bar=2'],
    ['foo', '/path?foo=1&x=1&foo=2', 'x=1'],
    ['foo', '/path?foo=1', ''],
    ['foo', '/path', ''],
    // the query is rewritten the Go way even when the key is not there
    ['foo', '/path?b=1&a=2', 'a=2&b=1'],
    ['foo', '/path?b=a%20b&c=%zz&d;e=1', 'b=a+b'],
    // keys compare decoded
    ['a b', '/path?a+b=1&c=2', 'c=2'],
    ['ab', '/path?a%62=1', ''],
    ['é', '/path?%C3%A9=1&k=v', 'k=v'],
    // an unresolved placeholder is ''
    ['${nope}', '/path?=x&a=1', 'a=1'],
  ])('%j on %s gives %j', (key, url, expected) => {
    const ctx = runRequest(createFilter(dropQuery, key), filterContext({ url, params: { param1: 'foo' } }));
    expect(ctx.outgoing.query).toBe(expected);
    expect(ctx.request.rawQuery).toBe(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  });

  it('drops from the query an earlier filter left', () => {
    const ctx = filterContext({ url: '/?a=1' });
    ctx.outgoing.query = 'a=1&b=2';
    runRequest(createFilter(dropQuery, 'b'), ctx);
    expect(ctx.outgoing.query).toBe('a=1');
  });
});
