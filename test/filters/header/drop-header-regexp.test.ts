import { describe, expect, it } from 'vitest';
import { dropRequestHeaderRegexp, dropResponseHeaderRegexp } from '../../../filters/header/drop-header-regexp.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

type Headers = Record<string, string | string[]>;

describe('drop header regexp filters: arguments', () => {
  const bad: Arg[][] = [
    [],
    ['X-Foo'],
    ['X-Foo', '^a', 'extra'],
    [1, '^a'],
    ['X-Foo', 1],
    ['X Foo', '^a'],
    ['X-Foo', { regexp: '(' }],
    ['X-Foo', '(?=a)'],
  ];
  it.each(
    [dropRequestHeaderRegexp, dropResponseHeaderRegexp].flatMap((spec) => bad.map((args) => [spec.name, spec, args] as const)),
  )('%s rejects %j', (_name, spec, args) => {
    expectInvalidArgs(spec, args);
  });

  it('has the names Skipper registers (not the ones in its filter reference)', () => {
    expect([dropRequestHeaderRegexp.name, dropResponseHeaderRegexp.name]).toEqual([
      'dropRequestHeaderRegexp',
      'dropResponseHeaderRegexp',
    ]);
  });
});

const cases: [string, Arg, Headers, Headers][] = [
  // [name, expression, headers before, headers after]; Skipper's own cases first
  ['X-Test-Name', '^value1$', { 'x-test-name': ['value0', 'value1'] }, { 'x-test-name': ['value0'] }],
  [
    'X-Test-Name',
    { regexp: '^value.' },
    { 'x-test-name': ['value0', 'value1', 'value01', 'bsvalue0'] },
    { 'x-test-name': ['bsvalue0'] },
  ],
  ['X-Test-Name', '^value.', { 'x-test-name': ['value0', 'value1'] }, {}],
  ['x-test-name', '^value1$', { 'x-test-name': ['value0', 'value1'] }, { 'x-test-name': ['value0'] }],
  // an unanchored search, as Go's MatchString
  ['X-Foo', 'b', { 'x-foo': ['abc', 'xyz'] }, { 'x-foo': ['xyz'] }],
  ['X-Foo', 'b', { 'x-foo': 'abc', 'x-bar': 'b' }, { 'x-bar': 'b' }],
  ['X-Foo', 'nomatch', { 'x-foo': 'abc' }, { 'x-foo': 'abc' }],
  ['X-Foo', '(?i)^ABC$', { 'x-foo': ['abc', 'ABC', 'abcd'] }, { 'x-foo': ['abcd'] }],
  ['X-Missing', '.*', { 'x-foo': 'abc' }, { 'x-foo': 'abc' }],
  // nothing is removed when the first value is empty (Skipper checks Header.Get first)
  ['X-Foo', '.*', { 'x-foo': ['', 'abc'] }, { 'x-foo': ['', 'abc'] }],
  ['X-Foo', '.*', { 'x-foo': '' }, { 'x-foo': '' }],
];

describe('dropRequestHeaderRegexp', () => {
  it.each(cases)('%s %j: %j → %j', (name, re, before, after) => {
    const ctx = filterContext();
    delete ctx.outgoing.headers.host;
    Object.assign(ctx.outgoing.headers, before);
    runRequest(createFilter(dropRequestHeaderRegexp, name, re), ctx);
    expect(ctx.outgoing.headers).toEqual(after);
  });

  it('never changes an array in place (it may be shared with the incoming request)', () => {
    const values = ['a1', 'b2', 'a3'];
    const ctx = filterContext();
    ctx.outgoing.headers['x-foo'] = values;
    runRequest(createFilter(dropRequestHeaderRegexp, 'X-Foo', '^a'), ctx);
    expect(ctx.outgoing.headers['x-foo']).toEqual(['b2']);
    expect(values).toEqual(['a1', 'b2', 'a3']);
  });

  it('keeps the very same array when nothing matches', () => {
    const values = ['a1', 'b2'];
    const ctx = filterContext();
    ctx.outgoing.headers['x-foo'] = values;
    runRequest(createFilter(dropRequestHeaderRegexp, 'X-Foo', '^z'), ctx);
    expect(ctx.outgoing.headers['x-foo']).toBe(values);
  });

  it('leaves the incoming view alone and the response to others', () => {
    const filter = createFilter(dropRequestHeaderRegexp, 'User-Agent', '^curl/');
    const ctx = runRequest(filter, filterContext({ headers: { 'user-agent': 'curl/8.0' } }));
    expect(ctx.outgoing.headers['user-agent']).toBeUndefined();
    expect(ctx.request.headers['user-agent']).toBe('curl/8.0');
    expect(filter.response).toBeUndefined();
  });
});

describe('dropResponseHeaderRegexp', () => {
  it.each(cases)('%s %j: %j → %j', (name, re, before, after) => {
    const filter = createFilter(dropResponseHeaderRegexp, name, re);
    const ctx = runRequest(filter, filterContext({ headers: before }));
    expect(ctx.outgoing.headers).toEqual({ host: 'example.org', ...before });
    const response = runResponse(filter, ctx, { headers: { ...before } });
    expect(response.headers).toEqual(after);
  });

  it('drops one Set-Cookie of several', () => {
    const response = runResponse(createFilter(dropResponseHeaderRegexp, 'Set-Cookie', '^tracking='), filterContext(), {
      headers: { 'set-cookie': ['session=1; HttpOnly', 'tracking=abc', 'lang=en'] },
    });
    expect(response.headers['set-cookie']).toEqual(['session=1; HttpOnly', 'lang=en']);
  });
});
