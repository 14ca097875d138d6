import { describe, expect, it } from 'vitest';
import { appendRequestHeader } from '../../../filters/header/append-request-header.js';
import { dropRequestHeader } from '../../../filters/header/drop-request-header.js';
import { setRequestHeader } from '../../../filters/header/set-request-header.js';
import type { Arg, FilterSpec } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

const valueSpecs = [setRequestHeader, appendRequestHeader];

describe('request header filters: arguments', () => {
  const bad: Arg[][] = [
    [],
    ['X-Foo'],
    ['X-Foo', 'v', 'extra'],
    [1, 'v'],
    ['X-Foo', 1],
    [{ regexp: 'X' }, 'v'],
    ['', 'v'],
    ['X Foo', 'v'],
    ['X-Foo:', 'v'],
    ['X-Foo', 'a\r\nInjected: yes'],
    ['X-Foo', 'a\nb'],
    ['X-Foo', 'nul\0'],
    ['X-Foo', '${request.nope}'],
  ];
  it.each(valueSpecs.flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)))(
    '%s rejects %j',
    (_name, spec, args) => {
      expectInvalidArgs(spec, args);
    },
  );

  it.each([[[]], [['X-Foo', 'v']], [[1]], [['bad name']]] as Arg[][][])('dropRequestHeader rejects %j', (args) => {
    expectInvalidArgs(dropRequestHeader, args);
  });

  it.each(valueSpecs)('%s accepts a name, a value and a template', (spec) => {
    for (const value of ['bar', '', 'id=${id}']) expect(typeof spec.create(['X-Foo', value]).request).toBe('function');
  });
});

describe('setRequestHeader', () => {
  it.each([
    // [args, incoming headers, expected outgoing value]
    [['X-Foo', 'bar'], {}, 'bar'],
    [['X-Foo', 'bar'], { 'x-foo': 'old' }, 'bar'],
    [['x-FOO', 'bar'], { 'x-foo': 'old' }, 'bar'],
    [['X-Foo', ''], { 'x-foo': 'old' }, ''],
    [['X-User', 'u-${request.cookie.user}'], { cookie: 'user=ann' }, 'u-ann'],
    [['X-Path', '${request.path}'], {}, '/p/1'],
    [['X-Id', '${id}'], {}, '7'],
  ] as [Arg[], Record<string, string>, string][])('%j with %j sets %j', (args, headers, expected) => {
    const ctx = runRequest(
      createFilter(setRequestHeader, ...args),
      filterContext({ url: '/p/1', headers, params: { id: '7' } }),
    );
    expect(ctx.outgoing.headers[(args[0] as string).toLowerCase()]).toBe(expected);
  });

  it('does not set the header when a placeholder does not resolve', () => {
    const ctx = runRequest(
      createFilter(setRequestHeader, 'X-User', '${request.cookie.user}'),
      filterContext({ headers: { 'x-user': 'kept' } }),
    );
    expect(ctx.outgoing.headers['x-user']).toBe('kept');
    const fresh = runRequest(createFilter(setRequestHeader, 'X-User', '${request.cookie.user}'), filterContext());
    expect('x-user' in fresh.outgoing.headers).toBe(false);
  });

  it('does not set a value that expands to a control character', () => {
    // %0D%0A in the query decodes to CR LF: it must never reach a header.
    const ctx = runRequest(
      createFilter(setRequestHeader, 'X-Q', '${request.query.q}'),
      filterContext({ url: '/?q=a%0D%0AInjected:%20yes' }),
    );
    expect('x-q' in ctx.outgoing.headers).toBe(false);
  });

  it('sets the Host sent upstream, and leaves preserveHost alone', () => {
    const ctx = filterContext({ host: 'client.example.org' });
    ctx.outgoing.preserveHost = false;
    runRequest(createFilter(setRequestHeader, 'Host', 'backend.internal'), ctx);
    expect(ctx.outgoing.headers.host).toBe('backend.internal');
    expect(ctx.outgoing.preserveHost).toBe(false);
    // The incoming request is untouched.
    expect(ctx.request.host).toBe('client.example.org');
    expect(ctx.request.headers.host).toBe('client.example.org');
  });

  it('can set the Host from a template', () => {
    const ctx = runRequest(
      createFilter(setRequestHeader, 'Host', '${request.header.X-Tenant}.internal'),
      filterContext({ headers: { 'x-tenant': 'blue' } }),
    );
    expect(ctx.outgoing.headers.host).toBe('blue.internal');
  });
});

describe('appendRequestHeader', () => {
  it.each([
    [{}, 'b'],
    [{ 'x-foo': 'a' }, ['a', 'b']],
    [{ 'x-foo': ['a', 'z'] }, ['a', 'z', 'b']],
  ] as [Record<string, string | string[]>, string | string[]][])('on %j gives %j', (headers, expected) => {
    const ctx = filterContext();
    Object.assign(ctx.outgoing.headers, headers);
    const before = ctx.outgoing.headers['x-foo'];
    runRequest(createFilter(appendRequestHeader, 'X-Foo', 'b'), ctx);
    expect(ctx.outgoing.headers['x-foo']).toEqual(expected);
    // An existing array is replaced, never grown in place.
    if (Array.isArray(before)) expect(before).toHaveLength(2);
  });

  it('sets Host instead of appending to it', () => {
    const ctx = filterContext();
    ctx.outgoing.headers.host = 'first.internal';
    runRequest(createFilter(appendRequestHeader, 'Host', 'second.internal'), ctx);
    expect(ctx.outgoing.headers.host).toBe('second.internal');
  });

  it('does not append when a placeholder does not resolve', () => {
    const ctx = runRequest(
      createFilter(appendRequestHeader, 'X-Foo', '${request.query.x}'),
      filterContext({ headers: { 'x-foo': 'a' } }),
    );
    expect(ctx.outgoing.headers['x-foo']).toBe('a');
  });
});

describe('dropRequestHeader', () => {
  it.each([
    ['X-Foo', { 'x-foo': 'a', 'x-bar': 'b' }, { host: 'example.org', 'x-bar': 'b' }],
    ['x-foo', { 'x-foo': ['a', 'b'] }, { host: 'example.org' }],
    ['X-Missing', { 'x-foo': 'a' }, { host: 'example.org', 'x-foo': 'a' }],
    ['Host', { 'x-foo': 'a' }, { 'x-foo': 'a' }],
  ] as [string, Record<string, string | string[]>, Record<string, string | string[]>][])(
    'drops %s from %j',
    (name, headers, expected) => {
      const ctx = runRequest(createFilter(dropRequestHeader, name), filterContext({ headers }));
      expect(ctx.outgoing.headers).toEqual(expected);
      // The incoming view keeps what the client sent.
      for (const key of Object.keys(headers)) expect(ctx.request.headers[key]).toEqual(headers[key]);
    },
  );

  it('drops a Host set by an earlier filter', () => {
    const ctx = filterContext();
    runRequest(createFilter(setRequestHeader, 'Host', 'x.internal'), ctx);
    runRequest(createFilter(dropRequestHeader, 'Host'), ctx);
    expect(ctx.outgoing.headers.host).toBeUndefined();
  });
});

describe('request header filters have no response phase', () => {
  it.each([setRequestHeader, appendRequestHeader, dropRequestHeader] as FilterSpec[])('%s', (spec) => {
    const filter = spec === dropRequestHeader ? spec.create(['X-Foo']) : spec.create(['X-Foo', 'v']);
    expect(filter.response).toBeUndefined();
    expect(typeof filter.request).toBe('function');
  });
});
