import { describe, expect, it } from 'vitest';
import { queryToHeader } from '../../../filters/query/query-to-header.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

describe('queryToHeader: arguments', () => {
  it.each([
    [[]],
    [['q']],
    [['q', 'X-Q', '%s', 'x']],
    [[1, 'X-Q']],
    [['q', 1]],
    [['q', 'X-Q', 1]],
    [['q', 'X Q']],
    [['q', 'X-Q', '%5s']],
    [['q', 'X-Q', '%q']],
    [['q', 'X-Q', 'a\r\n%s']],
    [['q', 'X-Q', 'x\0%s']],
  ] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(queryToHeader, args);
  });

  it('accepts two or three strings', () => {
    expect(typeof queryToHeader.create(['q', 'X-Q']).request).toBe('function');
    expect(typeof queryToHeader.create(['access_token', 'Authorization', 'Bearer %s']).request).toBe('function');
  });
});

describe('queryToHeader', () => {
  it.each([
    // [args, request target, incoming headers, expected value of the header]
    [['foo-query-param', 'X-Foo-Header'], '/?foo-query-param=bar', {}, 'bar'],
    [['access_token', 'Authorization', 'Bearer %s'], '/?access_token=tok', {}, 'Bearer tok'],
    [['q', 'X-Q'], '/?q=1&q=2', {}, '1'],
    [['q', 'X-Q'], '/?q=a+b%21', {}, 'a b!'],
    [['q', 'X-Q'], '/?q=%zz&q=ok', {}, 'ok'],
    [['q', 'X-Q', '%x'], '/?q=hi', {}, '6869'],
    [['q', 'X-Q', 'v=%s;%s'], '/?q=1', {}, 'v=1;%!s(MISSING)'],
    [['q', 'x-q'], '/?q=new', { 'x-q': '' }, 'new'],
    // nothing when the header has a value already
    [['q', 'X-Q'], '/?q=new', { 'x-q': 'old' }, 'old'],
    // nothing when the parameter is absent or empty
    [['q', 'X-Q'], '/?other=1', { 'x-q': '' }, ''],
    [['q', 'X-Q'], '/?q=&q=2', {}, undefined],
    [['q', 'X-Q'], '/', {}, undefined],
    // a value that cannot go into a header is not set
    [['q', 'X-Q'], '/?q=a%0D%0AInjected:%20yes', {}, undefined],
    [['q', 'X-Q'], '/?q=%00', {}, undefined],
  ] as [Arg[], string, Headers, string | undefined][])('%j on %s with %j gives %j', (args, url, headers, expected) => {
    const ctx = runRequest(createFilter(queryToHeader, ...args), filterContext({ url, headers }));
    expect(ctx.outgoing.headers[(args[1] as string).toLowerCase()]).toBe(expected);
    expect(ctx.outgoing.query).toBe(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  });

  it('sets the header when its first value is empty, replacing every value', () => {
    const ctx = filterContext({ url: '/?q=new' });
    ctx.outgoing.headers['x-q'] = ['', 'old'];
    runRequest(createFilter(queryToHeader, 'q', 'X-Q'), ctx);
    expect(ctx.outgoing.headers['x-q']).toBe('new');
  });

  it('reads the query an earlier filter left', () => {
    const ctx = filterContext({ url: '/?q=client' });
    ctx.outgoing.query = 'q=rewritten';
    runRequest(createFilter(queryToHeader, 'q', 'X-Q'), ctx);
    expect(ctx.outgoing.headers['x-q']).toBe('rewritten');
  });

  it('passes the bytes of the parameter through', () => {
    const ctx = runRequest(createFilter(queryToHeader, 'name', 'X-Name', 'é:%s'), filterContext({ url: '/?name=Jos%C3%A9' }));
    expect(Buffer.from(ctx.outgoing.headers['x-name'] as string, 'latin1').toString('utf8')).toBe('é:José');
  });

  it('finds a parameter whose name is not ASCII', () => {
    const ctx = runRequest(createFilter(queryToHeader, 'clé', 'X-Key'), filterContext({ url: '/?cl%C3%A9=v' }));
    expect(ctx.outgoing.headers['x-key']).toBe('v');
  });

  it('does not change the Host, which is always there', () => {
    const ctx = runRequest(createFilter(queryToHeader, 'h', 'Host'), filterContext({ url: '/?h=evil.example', host: 'a.example' }));
    expect(ctx.outgoing.headers.host).toBe('a.example');
  });
});
