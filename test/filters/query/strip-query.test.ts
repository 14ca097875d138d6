import { describe, expect, it } from 'vitest';
import { headerSuffix, stripQuery } from '../../../filters/query/strip-query.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

/** The headers the filter added, without the Host every test request has. */
function added(headers: Headers): Headers {
  const { host: _host, ...rest } = headers;
  return rest;
}

describe('stripQuery: arguments', () => {
  it.each([[[1]], [[{ regexp: 'true' }]]] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(stripQuery, args);
  });

  it.each([[[]], [['true']], [['false']], [['yes']], [['true', 'x']], [[1, 2]]] as Arg[][][])(
    'accepts %j, as Skipper does',
    (args) => {
      expect(typeof stripQuery.create(args).request).toBe('function');
    },
  );
});

describe('stripQuery', () => {
  it.each([[[]], [['false']], [['yes']], [['true', 'extra']]] as Arg[][][])('with %j drops the query only', (args) => {
    const ctx = runRequest(createFilter(stripQuery, ...args), filterContext({ url: '/foo?bar=baz&x=1' }));
    expect(ctx.outgoing.query).toBe('');
    expect(ctx.outgoing.path).toBe('/foo');
    expect(added(ctx.outgoing.headers)).toEqual({});
    expect(ctx.request.rawQuery).toBe('bar=baz&x=1');
  });

  it.each([
    // Skipper's own cases
    ['bar=baz', { 'x-query-param-bar': 'baz' }],
    ['bar', { 'x-query-param-bar': '' }],
    ['bar=baz&bar=qux', { 'x-query-param-bar': ['baz', 'qux'] }],
    ['a-b=123', { 'x-query-param-a-b': '123' }],
    ['a%20b=123', { 'x-query-param-ab': '123' }],
    ['%E9%A6%AC%E9%B9%BF=123', { 'x-query-param-u99acu9e7f': '123' }],
    // more of strconv.QuoteToASCII
    ['Foo=1&foo=2', { 'x-query-param-foo': ['1', '2'] }],
    ['a%0Ab=1', { 'x-query-param-anb': '1' }],
    ['%01=1', { 'x-query-param-x01': '1' }],
    ['%FF=1', { 'x-query-param-xff': '1' }],
    ['%F0%9F%98%80=1', { 'x-query-param-u0001f600': '1' }],
    ['%22q%22=1', { 'x-query-param-q': '1' }],
    ['=v', { 'x-query-param-': 'v' }],
    ['a=x+y%21', { 'x-query-param-a': 'x y!' }],
    // what Go's parser drops is lost
    ['a;b=1&c=2&d=%zz', { 'x-query-param-c': '2' }],
  ] as [string, Headers][])('with "true" keeps %j as %j', (query, expected) => {
    const ctx = runRequest(createFilter(stripQuery, 'true'), filterContext({ url: `/foo?${query}` }));
    expect(ctx.outgoing.query).toBe('');
    expect(added(ctx.outgoing.headers)).toEqual(expected);
  });

  it('takes "true" in any case', () => {
    const ctx = runRequest(createFilter(stripQuery, 'TRUE'), filterContext({ url: '/?a=1' }));
    expect(ctx.outgoing.headers['x-query-param-a']).toBe('1');
  });

  it('appends to a header the client sent', () => {
    const ctx = runRequest(
      createFilter(stripQuery, 'true'),
      filterContext({ url: '/?bar=baz', headers: { 'x-query-param-bar': 'client' } }),
    );
    expect(ctx.outgoing.headers['x-query-param-bar']).toEqual(['client', 'baz']);
  });

  it('keeps the values as bytes', () => {
    const ctx = runRequest(createFilter(stripQuery, 'true'), filterContext({ url: '/?name=Jos%C3%A9' }));
    const value = ctx.outgoing.headers['x-query-param-name'] as string;
    expect(Buffer.from(value, 'latin1').toString('utf8')).toBe('José');
  });

  it('leaves out a value that cannot go into a header', () => {
    const ctx = runRequest(
      createFilter(stripQuery, 'true'),
      filterContext({ url: '/?a=x%0D%0AInjected:%20yes&a=ok&b=%00' }),
    );
    expect(added(ctx.outgoing.headers)).toEqual({ 'x-query-param-a': 'ok' });
    expect(ctx.outgoing.query).toBe('');
  });

  it('reads the query an earlier filter left', () => {
    const ctx = filterContext({ url: '/?a=1' });
    ctx.outgoing.query = 'b=2';
    runRequest(createFilter(stripQuery, 'true'), ctx);
    expect(added(ctx.outgoing.headers)).toEqual({ 'x-query-param-b': '2' });
  });

  it('does nothing more without a query', () => {
    const ctx = runRequest(createFilter(stripQuery, 'true'), filterContext({ url: '/foo' }));
    expect(ctx.outgoing.query).toBe('');
    expect(added(ctx.outgoing.headers)).toEqual({});
  });
});

describe('headerSuffix', () => {
  it.each([
    ['abc', 'abc'],
    ['a b', 'ab'],
    ['\t\r\u0007\u0008\u000b\u000c', 'trabvf'],
    ['\u007f', 'x7f'],
    ['\u00c3\u00a9', 'u00e9'],
    ['\u00c3', 'xc3'],
    ['\u00ed\u00a0\u0080', 'xedxa0x80'], // an encoded surrogate is not UTF-8
    ['\u00e0\u0080\u0080', 'xe0x80x80'], // an overlong form neither
    ['€', 'u20ac'],
  ])('%j → %j', (key, expected) => {
    expect(headerSuffix(key)).toBe(expected);
  });
});
