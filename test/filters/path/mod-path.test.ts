import { describe, expect, it } from 'vitest';
import { modPath } from '../../../filters/path/mod-path.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('modPath: arguments', () => {
  it.each([
    [[]],
    [[{ regexp: 'a' }]],
    [[{ regexp: 'a' }, 'b', 'c']],
    [[1, 'b']],
    [[{ regexp: 'a' }, 1]],
    [[{ regexp: '(' }, 'b']],
    [[{ regexp: '\\pL' }, 'b']],
  ] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(modPath, args);
  });
});

describe('modPath', () => {
  it.each([
    // [expression, replacement, request target, outgoing path]
    [{ regexp: '^/api' }, '', '/api/items', '/items'],
    [{ regexp: '^/api/' }, '/', '/api/items', '/items'],
    [{ regexp: '^/api' }, '', '/api', '/'],
    ['^/v1/(.*)$', '/v2/$1', '/v1/users/7', '/v2/users/7'],
    [{ regexp: '^/(?P<svc>[a-z]+)/(\\d+)' }, '/${svc}/id-$2', '/users/42/x', '/users/id-42/x'],
    // every match is replaced, as with Go's ReplaceAllString
    [{ regexp: 'a' }, 'o', '/banana', '/bonono'],
    [{ regexp: '/+' }, '/', '//a///b', '/a/b'],
    [{ regexp: 'nomatch' }, 'x', '/keep/this', '/keep/this'],
    // the raw path is matched: escapes stay escapes
    [{ regexp: '%20' }, '-', '/a%20b', '/a-b'],
    // the replacement may bring in what a raw path may not hold
    [{ regexp: '^/old' }, '/new path', '/old', '/new%20path'],
    [{ regexp: '(?i)^/API' }, '/api', '/Api/x', '/api/x'],
  ] as [Arg, string, string, string][])('%j → %j on %s gives %s', (re, replacement, url, expected) => {
    const ctx = runRequest(createFilter(modPath, re, replacement), filterContext({ url }));
    expect(ctx.outgoing.path).toBe(expected);
  });

  it('keeps the query and leaves the incoming view untouched', () => {
    const ctx = runRequest(createFilter(modPath, { regexp: '^/api' }, ''), filterContext({ url: '/api/x?y=1' }));
    expect(ctx.outgoing.path).toBe('/x');
    expect(ctx.outgoing.query).toBe('y=1');
    expect(ctx.request.rawPath).toBe('/api/x');
  });

  it('gives the same result on every request with one instance', () => {
    const filter = createFilter(modPath, { regexp: 'a' }, 'o');
    for (let i = 0; i < 3; i++) {
      expect(runRequest(filter, filterContext({ url: '/aaa' })).outgoing.path).toBe('/ooo');
    }
  });

  it('applies to the path as an earlier filter left it', () => {
    const ctx = filterContext({ url: '/a' });
    ctx.outgoing.path = '/b/c';
    runRequest(createFilter(modPath, { regexp: '^/b' }, '/z'), ctx);
    expect(ctx.outgoing.path).toBe('/z/c');
  });
});
