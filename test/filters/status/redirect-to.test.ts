import { describe, expect, it } from 'vitest';
import { redirectTo } from '../../../filters/status/redirect-to.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, type TestContextInit } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('redirectTo: arguments', () => {
  it.each([
    [[]],
    [['301']],
    [[200, '/x']],
    [[404, '/x']],
    [[301.5, '/x']],
    [[301, 5]],
    [[301, '/x', 'y']],
    [[301, 'relative/path']],
    [[301, 'https:relative']],
    [[301, 'https://']],
    [[301, 'https://user:pw@host/']],
    [[301, '/a\r\nSet-Cookie: x=1']],
    [[301, '/a b']],
  ] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(redirectTo, args);
  });
});

const request: TestContextInit = { host: 'shop.example.org', url: '/old/path?x=1&y=2' };

describe('redirectTo', () => {
  it.each([
    // [code, location, request, expected Location]
    [301, undefined, request, 'http://shop.example.org/old/path?x=1&y=2'],
    [302, 'https:', request, 'https://shop.example.org/old/path?x=1&y=2'],
    [308, 'https://other.org', request, 'https://other.org/old/path?x=1&y=2'],
    [308, 'https://other.org:8443', request, 'https://other.org:8443/old/path?x=1&y=2'],
    [307, 'https://other.org/', request, 'https://other.org/?x=1&y=2'],
    [302, 'https://other.org/new?z=3', request, 'https://other.org/new?z=3'],
    [302, 'https://other.org/new#top', request, 'https://other.org/new?x=1&y=2#top'],
    [302, '/new/path', request, 'http://shop.example.org/new/path?x=1&y=2'],
    [302, '/new/path?only=1', request, 'http://shop.example.org/new/path?only=1'],
    [302, '//cdn.example.org', request, 'http://cdn.example.org/old/path?x=1&y=2'],
    [302, 'HTTPS://Other.org/A', request, 'https://Other.org/A?x=1&y=2'],
    [301, undefined, { host: 'h:8080', url: '/p' }, 'http://h:8080/p'],
    [301, undefined, { host: 'h', url: '/a%20b' }, 'http://h/a%20b'],
    [
      301,
      undefined,
      { host: 'h', url: '/p', headers: { 'x-forwarded-proto': 'https' } },
      'https://h/p',
    ],
    [301, 'http:', { host: 'h', url: '/p', headers: { 'x-forwarded-proto': 'https' } }, 'http://h/p'],
  ] as [number, string | undefined, TestContextInit, string][])(
    '%i %j for %j → %s',
    (code, location, init, expected) => {
      const args: Arg[] = location === undefined ? [code] : [code, location];
      const ctx = runRequest(createFilter(redirectTo, ...args), filterContext(init));
      expect(ctx.served).toBe(true);
      expect(ctx.reply?.status).toBe(code);
      expect(ctx.reply?.headers?.location).toBe(expected);
      expect(ctx.reply?.headers?.['content-length']).toBe('0');
    },
  );

  it('builds a fresh headers object for each reply', () => {
    const filter = createFilter(redirectTo, 302, '/x');
    const a = runRequest(filter, filterContext());
    const b = runRequest(filter, filterContext());
    expect(a.reply?.headers).not.toBe(b.reply?.headers);
  });

  it("takes the scheme from the outgoing X-Forwarded-Proto, which the proxy sets, not the client's", () => {
    const ctx = filterContext({ host: 'h', url: '/p', headers: { 'x-forwarded-proto': 'https' } });
    ctx.outgoing.headers['x-forwarded-proto'] = 'http';
    runRequest(createFilter(redirectTo, 301), ctx);
    expect(ctx.reply?.headers?.location).toBe('http://h/p');
  });

  it('uses the incoming request, not the rewritten one', () => {
    const ctx = filterContext({ host: 'h', url: '/in?q=1' });
    ctx.outgoing.path = '/rewritten';
    runRequest(createFilter(redirectTo, 301, 'https:'), ctx);
    expect(ctx.reply?.headers?.location).toBe('https://h/in?q=1');
  });
});
