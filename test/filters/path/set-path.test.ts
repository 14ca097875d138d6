import { describe, expect, it } from 'vitest';
import { setPath } from '../../../filters/path/set-path.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, type TestContextInit } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('setPath: arguments', () => {
  it.each([[[]], [['/a', '/b']], [[1]], [[{ regexp: '/a' }]], [['/${request.nothing}']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(setPath, args);
    },
  );
});

describe('setPath', () => {
  it.each([
    // [template, request, outgoing path]
    ['/fixed', { url: '/old?x=1' }, '/fixed'],
    ['/v2/${id}', { url: '/v1/7', params: { id: '7' } }, '/v2/7'],
    ['/v2/${id}/${rest}', { params: { id: 'a', rest: 'b/c' } }, '/v2/a/b/c'],
    // unresolved placeholders become ''
    ['/v2/${id}', { url: '/v1' }, '/v2/'],
    ['${id}', {}, '/'],
    ['/q/${request.query.name}', { url: '/?name=ann' }, '/q/ann'],
    ['/h/${request.header.X-Tenant}', { headers: { 'x-tenant': 'blue' } }, '/h/blue'],
    ['${request.path}/index.html', { url: '/docs' }, '/docs/index.html'],
    // decoded values are encoded again for the raw path
    ['/s/${q}', { params: { q: 'a b?c' } }, '/s/a%20b%3Fc'],
    ['/${name}', { params: { name: 'ü' } }, '/%C3%BC'],
    ['relative', {}, '/relative'],
  ] as [string, TestContextInit, string][])('%j for %j gives %s', (template, init, expected) => {
    const ctx = runRequest(createFilter(setPath, template), filterContext(init));
    expect(ctx.outgoing.path).toBe(expected);
  });

  it('keeps the query', () => {
    const ctx = runRequest(createFilter(setPath, '/new'), filterContext({ url: '/old?x=1' }));
    expect(ctx.outgoing.query).toBe('x=1');
  });
});
