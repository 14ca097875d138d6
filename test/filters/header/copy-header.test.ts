import { describe, expect, it } from 'vitest';
import {
  copyRequestHeader,
  copyResponseHeader,
  requestCopyHeader,
  responseCopyHeader,
} from '../../../filters/header/copy-header.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

const requestSpecs = [copyRequestHeader, requestCopyHeader];
const responseSpecs = [copyResponseHeader, responseCopyHeader];

describe('copy header filters: arguments', () => {
  const bad: Arg[][] = [
    [],
    ['X-Foo'],
    ['X-Foo', 'X-Bar', 'baz'],
    [42, 'X-Bar'],
    ['X-Foo', 42],
    [{ regexp: 'X' }, 'X-Bar'],
    ['X Foo', 'X-Bar'],
    ['X-Foo', 'X-Bar:'],
    ['', 'X-Bar'],
  ];
  it.each([...requestSpecs, ...responseSpecs].flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)))(
    '%s rejects %j',
    (_name, spec, args) => {
      expectInvalidArgs(spec, args);
    },
  );

  it('registers the current and the deprecated names', () => {
    expect([...requestSpecs, ...responseSpecs].map((s) => s.name)).toEqual([
      'copyRequestHeader',
      'requestCopyHeader',
      'copyResponseHeader',
      'responseCopyHeader',
    ]);
  });
});

const cases: [string, Arg[], Headers, Headers][] = [
  // [what, args, headers before, headers after]
  ['no header to copy', ['X-Foo', 'X-Bar'], { 'x-other': 'o' }, { 'x-other': 'o' }],
  ['copy', ['X-Foo', 'X-Bar'], { 'x-foo': 'foo' }, { 'x-foo': 'foo', 'x-bar': 'foo' }],
  ['overwrite', ['X-Foo', 'X-Bar'], { 'x-foo': 'foo', 'x-bar': ['bar', 'baz'] }, { 'x-foo': 'foo', 'x-bar': 'foo' }],
  ['names are case-insensitive', ['x-FOO', 'X-bar'], { 'x-foo': 'foo' }, { 'x-foo': 'foo', 'x-bar': 'foo' }],
  ['the first value only', ['X-Foo', 'X-Bar'], { 'x-foo': ['a', 'b'] }, { 'x-foo': ['a', 'b'], 'x-bar': 'a' }],
  ['an empty first value is not copied', ['X-Foo', 'X-Bar'], { 'x-foo': ['', 'b'], 'x-bar': 'kept' }, { 'x-foo': ['', 'b'], 'x-bar': 'kept' }],
  ['onto itself keeps the first value', ['X-Foo', 'X-Foo'], { 'x-foo': ['a', 'b'] }, { 'x-foo': 'a' }],
];

describe.each(requestSpecs)('$name', (spec) => {
  it.each(cases)('%s', (_what, args, before, after) => {
    const ctx = filterContext();
    delete ctx.outgoing.headers.host;
    Object.assign(ctx.outgoing.headers, before);
    runRequest(createFilter(spec, ...args), ctx);
    expect(ctx.outgoing.headers).toEqual(after);
  });

  it('copying into Host sets the Host sent upstream', () => {
    const ctx = runRequest(
      createFilter(spec, 'X-Test-Source-Host', 'Host'),
      filterContext({ host: 'client.example.org', headers: { 'x-test-source-host': 'www.example.org' } }),
    );
    expect(ctx.outgoing.headers.host).toBe('www.example.org');
    expect(ctx.request.host).toBe('client.example.org');
  });

  it('copies the outgoing Host', () => {
    const ctx = runRequest(createFilter(spec, 'Host', 'X-Original-Host'), filterContext({ host: 'shop.example.org' }));
    expect(ctx.outgoing.headers['x-original-host']).toBe('shop.example.org');
  });

  it('copies what an earlier filter left, not what the client sent', () => {
    const ctx = filterContext({ headers: { 'x-foo': 'client' } });
    ctx.outgoing.headers['x-foo'] = 'changed';
    runRequest(createFilter(spec, 'X-Foo', 'X-Bar'), ctx);
    expect(ctx.outgoing.headers['x-bar']).toBe('changed');
    expect(ctx.request.headers['x-bar']).toBeUndefined();
  });

  it('leaves the response alone', () => {
    expect(createFilter(spec, 'X-Foo', 'X-Bar').response).toBeUndefined();
  });
});

describe.each(responseSpecs)('$name', (spec) => {
  it.each(cases)('%s', (_what, args, before, after) => {
    const filter = createFilter(spec, ...args);
    const ctx = runRequest(filter, filterContext({ headers: before }));
    // the request phase does nothing
    expect(ctx.outgoing.headers['x-bar']).toEqual((before as Headers)['x-bar']);
    const response = runResponse(filter, ctx, { headers: { ...before } });
    expect(response.headers).toEqual(after);
  });

  it('copies a header of a local reply', () => {
    const ctx = filterContext();
    ctx.serve({ status: 302, headers: { location: '/next' } });
    const response = runResponse(createFilter(spec, 'Location', 'Content-Location'), ctx);
    expect(response.headers['content-location']).toBe('/next');
  });
});
