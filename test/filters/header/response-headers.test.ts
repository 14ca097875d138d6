import { describe, expect, it } from 'vitest';
import { appendResponseHeader } from '../../../filters/header/append-response-header.js';
import { dropResponseHeader } from '../../../filters/header/drop-response-header.js';
import { setResponseHeader } from '../../../filters/header/set-response-header.js';
import type { Arg, FilterSpec } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('response header filters: arguments', () => {
  const bad: Arg[][] = [[], ['X-Foo'], [2, 'v'], ['X Foo', 'v'], ['X-Foo', 'a\r\nb'], ['X-Foo', '${response.nope}']];
  it.each(
    [setResponseHeader, appendResponseHeader].flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)),
  )('%s rejects %j', (_name, spec, args) => {
    expectInvalidArgs(spec, args);
  });

  it.each([[[]], [['X-Foo', 'v']], [['']]] as Arg[][][])('dropResponseHeader rejects %j', (args) => {
    expectInvalidArgs(dropResponseHeader, args);
  });
});

describe('setResponseHeader', () => {
  it.each([
    [['X-Foo', 'bar'], {}, 'bar'],
    [['X-Foo', 'bar'], { 'x-foo': ['a', 'b'] }, 'bar'],
    [['Cache-Control', 'no-store'], { 'cache-control': 'max-age=60' }, 'no-store'],
    [['X-Etag-Copy', '${response.header.ETag}'], { etag: '"v1"' }, '"v1"'],
    [['X-Route', '${request.method} ${request.path}'], {}, 'GET /a/b'],
  ] as [Arg[], Record<string, string | string[]>, string][])('%j on %j gives %j', (args, headers, expected) => {
    const filter = createFilter(setResponseHeader, ...args);
    const ctx = filterContext({ url: '/a/b' });
    runRequest(filter, ctx);
    expect(ctx.outgoing.headers[(args[0] as string).toLowerCase()]).toBeUndefined();
    const response = runResponse(filter, ctx, { status: 200, headers });
    expect(response.headers[(args[0] as string).toLowerCase()]).toEqual(expected);
  });

  it('leaves the header alone when a placeholder does not resolve', () => {
    const response = runResponse(
      createFilter(setResponseHeader, 'X-Etag-Copy', '${response.header.ETag}'),
      filterContext(),
      { headers: { 'x-etag-copy': 'old' } },
    );
    expect(response.headers['x-etag-copy']).toBe('old');
  });

  it('changes the headers of a local reply', () => {
    const ctx = filterContext();
    ctx.serve({ status: 204, headers: { 'x-a': '1' } });
    const response = runResponse(createFilter(setResponseHeader, 'X-B', '2'), ctx);
    expect(response.status).toBe(204);
    expect(response.headers).toEqual({ 'x-a': '1', 'x-b': '2' });
  });
});

describe('appendResponseHeader', () => {
  it.each([
    [{}, 'c=3'],
    [{ 'set-cookie': 'a=1' }, ['a=1', 'c=3']],
    [{ 'set-cookie': ['a=1', 'b=2'] }, ['a=1', 'b=2', 'c=3']],
  ] as [Record<string, string | string[]>, string | string[]][])('on %j gives %j', (headers, expected) => {
    const response = runResponse(createFilter(appendResponseHeader, 'Set-Cookie', 'c=3'), filterContext(), {
      headers,
    });
    expect(response.headers['set-cookie']).toEqual(expected);
  });
});

describe('dropResponseHeader', () => {
  it.each([
    ['Server', { server: 'x', 'x-a': '1' }, { 'x-a': '1' }],
    ['SERVER', { server: ['x', 'y'] }, {}],
    ['Server', { 'x-a': '1' }, { 'x-a': '1' }],
  ] as [string, Record<string, string | string[]>, Record<string, string | string[]>][])(
    'drops %s from %j',
    (name, headers, expected) => {
      const response = runResponse(createFilter(dropResponseHeader, name), filterContext(), { headers });
      expect(response.headers).toEqual(expected);
    },
  );
});

describe('response header filters have no request phase', () => {
  it.each([setResponseHeader, appendResponseHeader, dropResponseHeader] as FilterSpec[])('%s', (spec) => {
    const filter = spec === dropResponseHeader ? spec.create(['X-Foo']) : spec.create(['X-Foo', 'v']);
    expect(filter.request).toBeUndefined();
    expect(typeof filter.response).toBe('function');
  });
});
