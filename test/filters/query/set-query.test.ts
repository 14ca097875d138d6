import { describe, expect, it } from 'vitest';
import { setQuery } from '../../../filters/query/set-query.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('setQuery: arguments', () => {
  it.each([[[]], [['k', 'v', 'x']], [[1]], [['k', 1]], [[1, 'v']], [['${request.nope}']], [['k', '${response.nope}']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(setQuery, args);
    },
  );
});

describe('setQuery("key", "value")', () => {
  it.each([
    // [args, request target, outgoing query]
    [['foo', 'bar'], '/path?foo=1', 'foo=bar'],
    [['foo', 'bar'], '/path', 'foo=bar'],
    [['foo', 'bar'], '/path?foo=1&foo=2', 'foo=bar'],
    // the query is written the Go way: keys sorted, Go escapes, unparsable pairs dropped
    [['foo', 'bar'], '/path?b=1&foo=1&a=2', 'a=2&b=1&foo=bar'],
    [['foo', 'bar'], '/path?y=a%20b&x=%zz&s;t=1', 'foo=bar&y=a+b'],
    [['k', 'a b/c&d'], '/', 'k=a+b%2Fc%26d'],
    [['k', 'é'], '/', 'k=%C3%A9'],
    [['k', ''], '/?k=1', 'k='],
    [['', 'v'], '/', '=v'],
    // templates; a placeholder that does not resolve becomes ''
    [['${param2}', '${param1}'], '/path', 'bar=foo'],
    [['k', 'id-${param1}'], '/', 'k=id-foo'],
    [['k', '${request.header.X-Missing}'], '/', 'k='],
    [['copy', '${request.query.q}'], '/?q=a+b', 'copy=a+b&q=a+b'],
    [['m', '${request.method}'], '/', 'm=GET'],
  ] as [Arg[], string, string][])('%j on %s gives %j', (args, url, expected) => {
    const ctx = runRequest(createFilter(setQuery, ...args), filterContext({ url, params: { param1: 'foo', param2: 'bar' } }));
    expect(ctx.outgoing.query).toBe(expected);
    expect(ctx.outgoing.path).toBe(url.split('?')[0]);
  });

  it('changes the query an earlier filter left, not the incoming one', () => {
    const ctx = filterContext({ url: '/?a=1' });
    ctx.outgoing.query = 'b=2';
    runRequest(createFilter(setQuery, 'c', '3'), ctx);
    expect(ctx.outgoing.query).toBe('b=2&c=3');
    expect(ctx.request.rawQuery).toBe('a=1');
    expect(ctx.request.query('c')).toBeUndefined();
  });

  it('gives the same result on every request with one instance', () => {
    const filter = createFilter(setQuery, 'k', '${id}');
    for (const id of ['1', '2', '3']) {
      expect(runRequest(filter, filterContext({ url: '/?z=0', params: { id } })).outgoing.query).toBe(`k=${id}&z=0`);
    }
  });
});

describe('setQuery("query")', () => {
  it.each([
    [['a=b'], '/?x=1', 'a=b'],
    [['z=1&a=2'], '/', 'z=1&a=2'],
    [[''], '/?x=1', ''],
    [['id=${id}'], '/', 'id=7'],
    [['id=${nope}'], '/', 'id='],
    [['${request.rawQuery}&more'], '/?x=1', 'x=1&more'],
    // what a request target cannot carry is percent-encoded
    [['a b#c'], '/', 'a%20b%23c'],
    [['k=é'], '/', 'k=%C3%A9'],
    [['q=${request.header.X-Text}'], '/', 'q=hello%20world'],
  ] as [Arg[], string, string][])('%j on %s gives %j', (args, url, expected) => {
    const ctx = runRequest(
      createFilter(setQuery, ...args),
      filterContext({ url, params: { id: '7' }, headers: { 'x-text': 'hello world' } }),
    );
    expect(ctx.outgoing.query).toBe(expected);
  });
});
