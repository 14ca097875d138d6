import { describe, expect, it } from 'vitest';
import { appendContextRequestHeader, setContextRequestHeader } from '../../../filters/header/context-request-header.js';
import { appendContextResponseHeader, setContextResponseHeader } from '../../../filters/header/context-response-header.js';
import { formatNumber, goSprint } from '../../../filters/header/go-sprint.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

const specs = [setContextRequestHeader, appendContextRequestHeader, setContextResponseHeader, appendContextResponseHeader];

describe('context header filters: arguments', () => {
  const bad: Arg[][] = [[], ['X-Uid'], ['X-Uid', 'auth-user', 'x'], [1, 'auth-user'], ['X-Uid', 1], ['X Uid', 'auth-user'], ['', 'k']];
  it.each(specs.flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)))('%s rejects %j', (_name, spec, args) => {
    expectInvalidArgs(spec, args);
  });

  it('has Skipper names and accepts any state bag key', () => {
    expect(specs.map((s) => s.name)).toEqual([
      'setContextRequestHeader',
      'appendContextRequestHeader',
      'setContextResponseHeader',
      'appendContextResponseHeader',
    ]);
    for (const spec of specs) expect(() => spec.create(['X-Uid', ''])).not.toThrow();
  });
});

describe('setContextRequestHeader / appendContextRequestHeader', () => {
  it.each([
    // [spec, incoming headers, expected outgoing value]
    [setContextRequestHeader, {}, 'jdoe'],
    [setContextRequestHeader, { 'x-uid': 'forged' }, 'jdoe'],
    [appendContextRequestHeader, {}, 'jdoe'],
    [appendContextRequestHeader, { 'x-uid': 'first' }, ['first', 'jdoe']],
  ] as const)('%#: sets the value of the state bag entry', (spec, headers, expected) => {
    const ctx = filterContext({ headers });
    ctx.state.set('auth-user', 'jdoe');
    runRequest(createFilter(spec, 'x-UID', 'auth-user'), ctx);
    expect(ctx.outgoing.headers['x-uid']).toEqual(expected);
  });

  it.each([setContextRequestHeader, appendContextRequestHeader])('%s leaves the header alone without the key', (spec) => {
    const ctx = filterContext({ headers: { 'x-uid': 'kept' } });
    ctx.state.set('other', 'value');
    runRequest(createFilter(spec, 'X-Uid', 'auth-user'), ctx);
    expect(ctx.outgoing.headers['x-uid']).toBe('kept');
    const fresh = runRequest(createFilter(spec, 'X-Uid', 'auth-user'), filterContext());
    expect('x-uid' in fresh.outgoing.headers).toBe(false);
  });

  it.each([setContextRequestHeader, appendContextRequestHeader])('%s sets the Host sent upstream', (spec) => {
    const ctx = filterContext({ host: 'client.example.org' });
    ctx.state.set('target', 'www.example.org');
    runRequest(createFilter(spec, 'Host', 'target'), ctx);
    expect(ctx.outgoing.headers.host).toBe('www.example.org');
  });

  it.each([
    // [state value, header value] as Go's fmt.Sprint writes it
    [42, '42'],
    [-7, '-7'],
    [1.5, '1.5'],
    [true, 'true'],
    [false, 'false'],
    [12345678901234567890n, '12345678901234567890'],
    [null, '<nil>'],
    [undefined, '<nil>'],
    [['a', 'b', 3], '[a b 3]'],
    [{ b: 1, a: 'x', c: [true] }, 'map[a:x b:1 c:[true]]'],
    [new Map<unknown, unknown>([['z', 1], ['y', null]]), 'map[y:<nil> z:1]'],
    [new Uint8Array([1, 2]), '[1 2]'],
    ['', ''],
  ] as [unknown, string][])('writes %o as %j', (value, expected) => {
    const ctx = filterContext();
    ctx.state.set('k', value);
    runRequest(createFilter(setContextRequestHeader, 'X-Value', 'k'), ctx);
    expect(ctx.outgoing.headers['x-value']).toBe(expected);
  });

  it('sends text as its UTF-8 bytes', () => {
    const ctx = filterContext();
    ctx.state.set('auth-user', 'José');
    runRequest(createFilter(setContextRequestHeader, 'X-Uid', 'auth-user'), ctx);
    const value = ctx.outgoing.headers['x-uid'] as string;
    expect(Buffer.from(value, 'latin1').toString('utf8')).toBe('José');
    expect(value).toHaveLength(5);
  });

  it('does not set a value that cannot go into a header', () => {
    const ctx = filterContext({ headers: { 'x-uid': 'kept' } });
    ctx.state.set('auth-user', 'a\r\nInjected: yes');
    runRequest(createFilter(setContextRequestHeader, 'X-Uid', 'auth-user'), ctx);
    expect(ctx.outgoing.headers['x-uid']).toBe('kept');
    ctx.state.set('auth-user', { a: 'x\ny' });
    runRequest(createFilter(appendContextRequestHeader, 'X-Uid', 'auth-user'), ctx);
    expect(ctx.outgoing.headers['x-uid']).toBe('kept');
  });

  it('writes a structure that contains itself without looping', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const ctx = filterContext();
    ctx.state.set('k', loop);
    runRequest(createFilter(setContextRequestHeader, 'X-Value', 'k'), ctx);
    expect(ctx.outgoing.headers['x-value']).toBe('map[a:1 self:<cycle>]');
  });

  it('leaves the response alone', () => {
    expect(createFilter(setContextRequestHeader, 'X-Uid', 'k').response).toBeUndefined();
  });
});

describe('setContextResponseHeader / appendContextResponseHeader', () => {
  it.each([
    [setContextResponseHeader, {}, 'bar'],
    [setContextResponseHeader, { 'x-foo': ['a', 'b'] }, 'bar'],
    [appendContextResponseHeader, { 'x-foo': 'a' }, ['a', 'bar']],
    [appendContextResponseHeader, {}, 'bar'],
  ] as const)('%#: writes the state bag entry as the response leaves', (spec, headers, expected) => {
    const filter = createFilter(spec, 'X-Foo', 'foo');
    const ctx = filterContext();
    ctx.state.set('foo', 'bar');
    runRequest(filter, ctx);
    expect(ctx.outgoing.headers['x-foo']).toBeUndefined();
    const response = runResponse(filter, ctx, { headers: { ...headers } });
    expect(response.headers['x-foo']).toEqual(expected);
  });

  it('reads the bag as it is when the response filters run', () => {
    const filter = createFilter(setContextResponseHeader, 'X-Flow', 'flow');
    const ctx = filterContext();
    runRequest(filter, ctx);
    ctx.state.set('flow', 'set-later');
    expect(runResponse(filter, ctx).headers['x-flow']).toBe('set-later');
  });

  it.each([setContextResponseHeader, appendContextResponseHeader])('%s leaves the header alone without the key', (spec) => {
    const response = runResponse(createFilter(spec, 'X-Foo', 'foo'), filterContext(), { headers: { 'x-foo': 'kept' } });
    expect(response.headers['x-foo']).toBe('kept');
  });
});

describe('goSprint and formatNumber (Go fmt %v)', () => {
  it.each([
    [0, '0'],
    [100000, '100000'],
    [0.5, '0.5'],
    [100000.5, '100000.5'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [1e21, '1e+21'],
    [2 ** 60, '1.152921504606847e+18'],
    [1.5e300, '1.5e+300'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%d → %s', (n, expected) => {
    expect(formatNumber(n)).toBe(expected);
  });

  it('keeps strings as they are', () => {
    expect(goSprint('a b')).toBe('a b');
    expect(goSprint(Symbol('s'))).toBe('Symbol(s)');
  });
});
