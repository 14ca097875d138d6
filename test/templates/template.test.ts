import { describe, expect, it } from 'vitest';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { compileTemplate } from '../../src/templates/template.js';
import { filterContext, type TestContextInit } from '../helpers/filter-context.js';

const base: TestContextInit = {
  method: 'POST',
  host: 'shop.example.org:8080',
  url: '/api/items%20x/7?q=shoes&q=boots&page=2',
  headers: {
    'x-request-id': 'abc-123',
    cookie: 'session=s1; theme=dark',
    'x-forwarded-for': '203.0.113.7, 10.0.0.1, 198.51.100.9',
  },
  remoteAddress: '192.0.2.10',
  params: { id: '42', name: 'widget' },
};

describe('compileTemplate: each placeholder', () => {
  it.each([
    ['${request.method}', 'POST'],
    ['${request.host}', 'shop.example.org:8080'],
    ['${request.header.host}', 'shop.example.org:8080'],
    ['${request.path}', '/api/items%20x/7'],
    ['${request.rawQuery}', 'q=shoes&q=boots&page=2'],
    ['${request.query.q}', 'shoes'],
    ['${request.query.page}', '2'],
    ['${request.header.X-Request-Id}', 'abc-123'],
    ['${request.header.x-request-id}', 'abc-123'],
    ['${request.cookie.theme}', 'dark'],
    ['${request.cookie.session}', 's1'],
    ['${request.source}', '203.0.113.7'],
    ['${request.sourceFromLast}', '198.51.100.9'],
    ['${request.clientIP}', '192.0.2.10'],
    ['${id}', '42'],
    ['/v2/${name}/${id}', '/v2/widget/42'],
    ['${request.method} ${request.path}?${request.rawQuery}', 'POST /api/items%20x/7?q=shoes&q=boots&page=2'],
  ])('%s expands to %s', (text, expected) => {
    const t = compileTemplate(text);
    expect(t.constant).toBe(false);
    expect(t.expand(filterContext(base))).toBe(expected);
    expect(t.expandOrEmpty(filterContext(base))).toBe(expected);
  });

  it('reads response headers case-insensitively in the response phase only', () => {
    const t = compileTemplate('etag=${response.header.ETag}');
    const ctx = filterContext(base);
    expect(t.expand(ctx)).toBeNull();
    ctx.respond({ headers: { etag: '"v1"' } });
    expect(t.expand(ctx)).toBe('etag="v1"');
  });

  it('takes the first value of a repeated header', () => {
    const ctx = filterContext(base);
    ctx.respond({ headers: { 'set-cookie': ['a=1', 'b=2'] } });
    expect(compileTemplate('${response.header.Set-Cookie}').expand(ctx)).toBe('a=1');
  });
});

describe('compileTemplate: unresolved placeholders', () => {
  it.each([
    ['${request.query.missing}'],
    ['${request.header.X-Missing}'],
    ['${request.cookie.missing}'],
    ['${response.header.Content-Type}'],
    ['${missing}'],
    ['${constructor}'],
    ['${request.header.constructor}'],
    ['a-${id}-${missing}-b'],
  ])('%s: expand gives null, expandOrEmpty drops only the missing part', (text) => {
    const t = compileTemplate(text);
    expect(t.expand(filterContext(base))).toBeNull();
    const expected = text.replaceAll('${id}', '42').replace(/\$\{[^}]+\}/g, '');
    expect(t.expandOrEmpty(filterContext(base))).toBe(expected);
  });

  it('treats an empty value as unresolved', () => {
    const ctx = filterContext({ url: '/?q=', params: { id: '' } });
    expect(compileTemplate('${request.query.q}').expand(ctx)).toBeNull();
    expect(compileTemplate('${id}').expand(ctx)).toBeNull();
    expect(compileTemplate('x${request.rawQuery}').expand(filterContext({ url: '/' }))).toBeNull();
  });
});

describe('compileTemplate: literals', () => {
  it.each([
    ['plain text'],
    [''],
    ['${}'],
    ['cost: $5'],
    ['open ${ never closed'],
    ['${a{b}'],
  ])('%j has no placeholder and expands to itself', (text) => {
    const t = compileTemplate(text);
    expect(t.constant).toBe(true);
    expect(t.text).toBe(text);
    expect(t.expand(filterContext(base))).toBe(text);
  });

  it('keeps literal text around placeholders and after an empty ${}', () => {
    const t = compileTemplate('${}-${id}-$-{x}');
    expect(t.constant).toBe(false);
    expect(t.expand(filterContext(base))).toBe('${}-42-$-{x}');
  });
});

describe('compileTemplate: unknown request/response placeholders fail the build', () => {
  it.each([
    ['${request.heder.X}'],
    ['${request.header.}'],
    ['${request.query.}'],
    ['${request.cookie.}'],
    ['${response.status}'],
    ['${request.clientIp}'],
  ])('%s', (text) => {
    let caught: unknown;
    try {
      compileTemplate(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SkiffError);
    expect((caught as SkiffError).code).toBe(ErrorCode.InvalidArgs);
  });
});

describe('compileTemplate: reads the request as earlier filters left it', () => {
  it('sees a changed path, query, method, header and Host', () => {
    const ctx = filterContext(base);
    ctx.outgoing.path = '/rewritten';
    ctx.outgoing.query = 'q=hats';
    ctx.outgoing.method = 'PUT';
    ctx.outgoing.headers['x-request-id'] = 'changed';
    ctx.outgoing.headers.host = 'upstream.internal';
    const t = compileTemplate('${request.method} ${request.host}${request.path}?${request.query.q} ${request.header.X-Request-Id}');
    expect(t.expand(ctx)).toBe('PUT upstream.internal/rewritten?hats changed');
  });

  it('sees a dropped header as missing', () => {
    const ctx = filterContext(base);
    delete ctx.outgoing.headers['x-request-id'];
    expect(compileTemplate('${request.header.X-Request-Id}').expand(ctx)).toBeNull();
  });

  it('reads cookies from a changed Cookie header', () => {
    const ctx = filterContext(base);
    ctx.outgoing.headers.cookie = 'theme=light;  other = 1 ';
    expect(compileTemplate('${request.cookie.theme}').expand(ctx)).toBe('light');
    expect(compileTemplate('${request.cookie.other}').expand(ctx)).toBe('1');
    expect(compileTemplate('${request.cookie.session}').expand(ctx)).toBeNull();
  });
});

describe('request.source and request.sourceFromLast', () => {
  it.each([
    // [X-Forwarded-For, source, sourceFromLast]
    [undefined, '192.0.2.10', '192.0.2.10'],
    ['203.0.113.7', '203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ,  2001:db8::1 ', '203.0.113.7', '2001:db8::1'],
    ['garbage, 198.51.100.9', '192.0.2.10', '198.51.100.9'],
    ['198.51.100.9, unknown', '198.51.100.9', '192.0.2.10'],
    ['', '192.0.2.10', '192.0.2.10'],
  ])('X-Forwarded-For %j', (xff, source, fromLast) => {
    const ctx = filterContext({
      remoteAddress: '192.0.2.10',
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    });
    expect(compileTemplate('${request.source}').expand(ctx)).toBe(source);
    expect(compileTemplate('${request.sourceFromLast}').expand(ctx)).toBe(fromLast);
  });

  it('uses the first and the last of several header fields', () => {
    const ctx = filterContext({ remoteAddress: '192.0.2.10' });
    ctx.outgoing.headers['x-forwarded-for'] = ['203.0.113.1, 203.0.113.2', '203.0.113.3'];
    expect(compileTemplate('${request.source}').expand(ctx)).toBe('203.0.113.1');
    expect(compileTemplate('${request.sourceFromLast}').expand(ctx)).toBe('203.0.113.3');
  });
});
