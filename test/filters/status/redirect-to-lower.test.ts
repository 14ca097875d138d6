import { describe, expect, it } from 'vitest';
import { redirectToLower } from '../../../filters/status/redirect-to-lower.js';
import { lowerRawPath } from '../../../filters/status/lower-path.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, type TestContextInit } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('redirectToLower: arguments', () => {
  it.each([
    [[]],
    [['301']],
    [[200, '/x']],
    [[301.5, '/x']],
    [[301, 5]],
    [[301, '/x', 'y']],
    [[301, 'relative/path']],
    [[301, 'https://']],
    [[301, '/a\r\nSet-Cookie: x=1']],
    [[301, '/a b']],
  ] as Arg[][][])('rejects %j', (args) => {
    const err = expectInvalidArgs(redirectToLower, args);
    expect(err.message).toMatch(/^redirectToLower: /);
  });
});

describe('lowerRawPath', () => {
  it.each([
    ['/', '/'],
    ['/Foo/BAR.html', '/foo/bar.html'],
    ['/already/lower', '/already/lower'],
    // escapes of characters that do not change are kept as written
    ['/a%2Fb/C', '/a%2Fb/c'],
    ['/x%20Y', '/x%20y'],
    ['/%e2%82%ac/E', '/%e2%82%ac/e'],
    // escaped capitals are lower-cased: ASCII ones come out plain, others encoded again
    ['/%41b', '/ab'],
    ['/%C3%9Cber', '/%C3%BCber'],
    ['/%c3%9cber', '/%C3%BCber'],
    ['/%C3%9C%C3%9C', '/%C3%BC%C3%BC'],
    ['/%C4%B0', '/i'],
    ['/%E2%84%AA', '/k'],
    // literal non-ASCII text
    ['/Ü/Σ', '/ü/σ'],
    // not UTF-8, or not an escape: kept
    ['/%FF/X', '/%FF/x'],
    ['/%C3/X', '/%C3/x'],
    ['/%C3%41', '/%C3a'],
    ['/%zz/A', '/%zz/a'],
    ['/A%', '/a%'],
    ['/A%4', '/a%4'],
  ])('%s → %s', (raw, lowered) => {
    expect(lowerRawPath(raw)).toBe(lowered);
  });
});

const request: TestContextInit = { host: 'Shop.example.org', url: '/Old/Path?Q=A&x=1' };

describe('redirectToLower', () => {
  it.each([
    // [code, location, request, expected Location]
    [301, undefined, request, 'http://Shop.example.org/old/path?Q=A&x=1'],
    [302, 'https:', request, 'https://Shop.example.org/old/path?Q=A&x=1'],
    [308, 'https://Other.org', request, 'https://Other.org/old/path?Q=A&x=1'],
    [302, '/New/Path', request, 'http://Shop.example.org/new/path?Q=A&x=1'],
    [302, 'https://Other.org/New?Z=3', request, 'https://Other.org/new?Z=3'],
    [302, '/New#Top', request, 'http://Shop.example.org/new?Q=A&x=1#Top'],
    [301, undefined, { host: 'h', url: '/%C3%9Cber/A%2FB' }, 'http://h/%C3%BCber/a%2Fb'],
    [301, undefined, { host: 'h', url: '/P', headers: { 'x-forwarded-proto': 'https' } }, 'https://h/p'],
  ] as [number, string | undefined, TestContextInit, string][])('%i %j for %j → %s', (code, location, init, expected) => {
    const args: Arg[] = location === undefined ? [code] : [code, location];
    const ctx = runRequest(createFilter(redirectToLower, ...args), filterContext(init));
    expect(ctx.served).toBe(true);
    expect(ctx.reply?.status).toBe(code);
    expect(ctx.reply?.headers).toEqual({ location: expected, 'content-length': '0' });
  });

  it('uses the incoming path, not the rewritten one', () => {
    const ctx = filterContext({ host: 'h', url: '/In' });
    ctx.outgoing.path = '/Rewritten';
    runRequest(createFilter(redirectToLower, 301), ctx);
    expect(ctx.reply?.headers?.location).toBe('http://h/in');
  });

  it('redirects a path that is lower-case already to itself', () => {
    const ctx = runRequest(createFilter(redirectToLower, 301), filterContext({ host: 'h', url: '/a/b' }));
    expect(ctx.reply?.headers?.location).toBe('http://h/a/b');
  });
});
