import { describe, expect, it } from 'vitest';
import { modRequestHeader, modResponseHeader } from '../../../filters/header/mod-header.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

describe('modRequestHeader / modResponseHeader: arguments', () => {
  const bad: Arg[][] = [
    [],
    ['X-Foo'],
    ['X-Foo', { regexp: 'a' }],
    ['X-Foo', { regexp: 'a' }, 'b', 'c'],
    [3.14, { regexp: 'a' }, 'b'],
    ['X-Foo', 2.72, 'b'],
    ['X-Foo', { regexp: 'a' }, 2.72],
    ['X Foo', { regexp: 'a' }, 'b'],
    ['', { regexp: 'a' }, 'b'],
    ['X-Foo', { regexp: '(' }, 'b'],
    // RE2 has no lookarounds (Skipper's own test case)
    ['Host', '(?=;)', 'foo'],
    ['X-Foo', { regexp: 'a' }, 'b\r\nInjected: yes'],
    ['X-Foo', { regexp: 'a' }, 'nul\0'],
  ];
  it.each([modRequestHeader, modResponseHeader].flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)))(
    '%s rejects %j',
    (_name, spec, args) => {
      expectInvalidArgs(spec, args);
    },
  );

  it('accepts the expression as a regexp literal or as a string', () => {
    expect(typeof modRequestHeader.create(['X-Foo', { regexp: 'a' }, 'b']).request).toBe('function');
    expect(typeof modRequestHeader.create(['X-Foo', '^a$', 'b']).request).toBe('function');
    expect(typeof modResponseHeader.create(['X-Foo', '^a$', '']).response).toBe('function');
  });

  it('names the filters as Skipper does', () => {
    expect([modRequestHeader.name, modResponseHeader.name]).toEqual(['modRequestHeader', 'modResponseHeader']);
  });
});

describe('modRequestHeader', () => {
  it.each([
    // [name, expression, replacement, incoming headers, expected outgoing value]
    ['Accept-Language', '^nl\\-NL$', 'en', { 'accept-language': 'nl-NL' }, 'en'],
    ['Accept-Language', '^.*', 'en', { 'accept-language': 'nl-NL' }, 'en'],
    ['accept-LANGUAGE', 'fr', 'en', { 'accept-language': 'nl-NL' }, 'nl-NL'],
    // every match is replaced
    ['X-Fruit', 'a', 'o', { 'x-fruit': 'banana' }, 'bonono'],
    ['X-Pair', '^(\\w+)-(\\w+)$', '${2}_$1', { 'x-pair': 'left-right' }, 'right_left'],
    // Go reads `$2_` as the group named "2_", which does not exist
    ['X-Pair', '^(\\w+)-(\\w+)$', '$2_$1', { 'x-pair': 'left-right' }, 'left'],
    ['X-Pair', '^(?P<first>\\w+)-', '${first}+', { 'x-pair': 'left-right' }, 'left+right'],
    // Go's template rules: `$$` is a dollar, `$1x` names group "1x" (absent: ''), `${1}x` does not
    ['X-Price', '(\\d+)', '$$$1', { 'x-price': 'costs 5' }, 'costs $5'],
    ['X-Id', '(\\d+)', '$1x', { 'x-id': 'n7' }, 'n'],
    ['X-Id', '(\\d+)', '${1}x', { 'x-id': 'n7' }, 'n7x'],
    // Go does not replace an empty match right after a match (JS would give XaXXcX)
    ['X-Foo', 'b*', 'X', { 'x-foo': 'abc' }, 'XaXcX'],
    ['X-Foo', '(?i)^BEARER ', 'Token ', { 'x-foo': 'bearer abc' }, 'Token abc'],
    // a present but empty value is rewritten too
    ['X-Foo', '^$', 'filled', { 'x-foo': '' }, 'filled'],
  ] as [string, string, string, Headers, string][])('%s: /%s/ → %j on %j gives %j', (name, re, repl, headers, expected) => {
    const ctx = runRequest(createFilter(modRequestHeader, name, { regexp: re }, repl), filterContext({ headers }));
    expect(ctx.outgoing.headers[name.toLowerCase()]).toBe(expected);
  });

  it('does nothing when the header is absent, even for an expression matching anything', () => {
    const ctx = runRequest(createFilter(modRequestHeader, 'Accept-Language', { regexp: '^.*' }, 'en'), filterContext());
    expect('accept-language' in ctx.outgoing.headers).toBe(false);
  });

  it('rewrites the first value only and leaves it as the only value, as Skipper does', () => {
    const ctx = filterContext();
    const values = ['nl-NL', 'de-DE'];
    ctx.outgoing.headers['accept-language'] = values;
    runRequest(createFilter(modRequestHeader, 'Accept-Language', { regexp: '-' }, '_'), ctx);
    expect(ctx.outgoing.headers['accept-language']).toBe('nl_NL');
    expect(values).toEqual(['nl-NL', 'de-DE']);
  });

  it.each([
    ['example.org', 'www.example.org'],
    ['zalando.de', 'zalando.de'],
  ])('rewrites the outgoing Host %s to %s', (host, expected) => {
    const ctx = runRequest(
      createFilter(modRequestHeader, 'Host', { regexp: '^(example\\.\\w+)$' }, 'www.$1'),
      filterContext({ host }),
    );
    expect(ctx.outgoing.headers.host).toBe(expected);
    expect(ctx.request.host).toBe(host);
  });

  it('rewrites the Host left by an earlier filter, or the client Host when none is left', () => {
    const filter = createFilter(modRequestHeader, 'Host', { regexp: '\\.internal$' }, '.example.org');
    const changed = filterContext({ host: 'client.example.org' });
    changed.outgoing.headers.host = 'api.internal';
    expect(runRequest(filter, changed).outgoing.headers.host).toBe('api.example.org');

    const dropped = filterContext({ host: 'shop.internal' });
    delete dropped.outgoing.headers.host;
    expect(runRequest(filter, dropped).outgoing.headers.host).toBe('shop.example.org');
  });

  it('gives the same result on every request with one instance', () => {
    const filter = createFilter(modRequestHeader, 'X-Foo', { regexp: 'a' }, 'o');
    for (let i = 0; i < 3; i++) {
      expect(runRequest(filter, filterContext({ headers: { 'x-foo': 'aaa' } })).outgoing.headers['x-foo']).toBe('ooo');
    }
  });

  it('leaves the response alone', () => {
    const filter = createFilter(modRequestHeader, 'X-Foo', { regexp: 'a' }, 'o');
    expect(filter.response).toBeUndefined();
  });
});

describe('modResponseHeader', () => {
  it.each([
    ['Accept-Language', '^nl\\-NL$', 'en', { 'accept-language': 'nl-NL' }, 'en'],
    ['cache-control', 'no-cache', 'cache', { 'cache-control': 'no-cache, private' }, 'cache, private'],
    ['Set-Cookie', '; Secure', '', { 'set-cookie': ['a=1; Secure', 'b=2; Secure'] }, 'a=1'],
    ['Location', '^http://', 'https://', { location: 'http://example.org/x' }, 'https://example.org/x'],
  ] as [string, string, string, Headers, string][])('%s: /%s/ → %j on %j gives %j', (name, re, repl, headers, expected) => {
    const filter = createFilter(modResponseHeader, name, { regexp: re }, repl);
    const ctx = filterContext();
    runRequest(filter, ctx);
    const response = runResponse(filter, ctx, { headers });
    expect(response.headers[name.toLowerCase()]).toBe(expected);
  });

  it('does nothing when the header is absent', () => {
    const response = runResponse(createFilter(modResponseHeader, 'X-Foo', { regexp: '^.*' }, 'en'), filterContext(), {
      headers: { 'x-bar': 'b' },
    });
    expect(response.headers).toEqual({ 'x-bar': 'b' });
  });

  it('applies to a local reply as well', () => {
    const ctx = filterContext();
    ctx.serve({ status: 302, headers: { location: 'http://a.example/' } });
    const response = runResponse(createFilter(modResponseHeader, 'Location', { regexp: '^http:' }, 'https:'), ctx);
    expect(response.headers.location).toBe('https://a.example/');
  });
});
