import { describe, expect, it } from 'vitest';
import { headerToQuery } from '../../../filters/query/header-to-query.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

describe('headerToQuery: arguments', () => {
  it.each([[[]], [['X-Foo']], [['X-Foo', 'q', 'x']], [[1, 'q']], [['X-Foo', 1]], [['X Foo', 'q']], [['', 'q']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(headerToQuery, args);
    },
  );
});

describe('headerToQuery', () => {
  it.each([
    // [args, request target, headers, outgoing query]
    [['X-Foo-Header', 'foo-query-param'], '/', { 'x-foo-header': 'bar' }, 'foo-query-param=bar'],
    [['X-Foo-Header', 'foo-query-param'], '/?z=1&foo-query-param=old', { 'x-foo-header': 'bar' }, 'foo-query-param=bar&z=1'],
    [['x-FOO', 'q'], '/?q=1&q=2', { 'x-foo': 'bar' }, 'q=bar'],
    [['X-Foo', 'q'], '/', { 'x-foo': ['first', 'second'] }, 'q=first'],
    [['X-Foo', 'q'], '/', { 'x-foo': 'a b&c=d' }, 'q=a+b%26c%3Dd'],
    // an absent header still sets the parameter, to ''
    [['X-Missing', 'q'], '/?a=1', {}, 'a=1&q='],
    // the query is rewritten the Go way
    [['X-Foo', 'q'], '/?b=%20&bad=%zz&a;x=1', { 'x-foo': 'v' }, 'b=+&q=v'],
    [['X-Foo', 'clé'], '/', { 'x-foo': 'v' }, 'cl%C3%A9=v'],
    // the header's bytes go into the query as they are
    [['X-Foo', 'q'], '/', { 'x-foo': '\u00c3\u00a9\u00ff' }, 'q=%C3%A9%FF'],
    [['Host', 'h'], '/', {}, 'h=example.org'],
  ] as [Arg[], string, Headers, string][])('%j on %s with %j gives %j', (args, url, headers, expected) => {
    const ctx = runRequest(createFilter(headerToQuery, ...args), filterContext({ url, headers }));
    expect(ctx.outgoing.query).toBe(expected);
  });

  it('reads the header an earlier filter left', () => {
    const ctx = filterContext({ headers: { 'x-foo': 'client' } });
    ctx.outgoing.headers['x-foo'] = 'rewritten';
    runRequest(createFilter(headerToQuery, 'X-Foo', 'q'), ctx);
    expect(ctx.outgoing.query).toBe('q=rewritten');
    expect(ctx.request.rawQuery).toBe('');
  });
});
