/** Path, PathSubtree and PathRegexp, evaluated on their own (the table uses the path tree). */
import { describe, expect, it } from 'vitest';
import { createPredicate, expectInvalidArgs, matches } from './create.js';
import { PathPredicate } from '../../src/predicates/path.js';
import { parsePathPattern, parseSubtreePattern } from '../../src/predicates/path-pattern.js';

describe('Path', () => {
  it.each([
    ['/foo', '/foo', true],
    ['/foo', '/foo/', false],
    ['/foo/', '/foo/', true],
    ['/foo', '/foobar', false],
    ['/foo/:id', '/foo/42', true],
    ['/foo/:id', '/foo/', false],
    ['/foo/:id', '/foo/42/x', false],
    ['/foo/:id/bar', '/foo/42/bar', true],
    ['/foo/*rest', '/foo/a/b', true],
    ['/foo/*rest', '/foo/', false],
    ['/foo/**', '/foo/a', true],
    ['/', '/', true],
    ['/', '/a', false],
    ['//foo/./bar/../baz', '/foo/baz', true],
    // patterns are compared with the decoded path, so an encoded pattern does not match
    ['/caf%C3%A9', '/caf%C3%A9', false],
    ['/café', '/caf%C3%A9', true],
  ])('Path(%j) on %s → %s', (pattern, url, expected) => {
    expect(matches('Path', [pattern], { url })).toBe(expected);
  });

  it.each([
    [[], 'one path pattern'],
    [['/a', '/b'], 'one path pattern'],
    [[1], 'must be a string'],
    [[{ regexp: '/a' }], 'must be a string'],
    [[''], 'must not be empty'],
    [['/a/*rest/b'], 'must be the last'],
    [['/a/:'], 'needs a name'],
    [['/a/b:c'], 'middle of a path segment'],
    [['/a/x*'], 'middle of a path segment'],
    [['/a/:id/:id'], 'used twice'],
    [['/a/:id/*id'], 'used twice'],
  ])('rejects Path(%j)', (args, fragment) => {
    expectInvalidArgs('Path', args, fragment);
  });

  it('parses wildcards into a tree key and the names in order', () => {
    expect(parsePathPattern('Path', '/a/:x/b/:y/*rest')).toEqual({
      source: '/a/:x/b/:y/*rest',
      key: '/a/:/b/:/*',
      paramNames: ['x', 'y'],
      freeName: 'rest',
    });
    expect(parsePathPattern('Path', '/a/*').freeName).toBe('*');
    expect(parsePathPattern('Path', '/a/**').freeName).toBe('*');
  });

  it('creates a PathPredicate the table builder can recognise', () => {
    const p = createPredicate('Path', ['/x/:id']);
    expect(p).toBeInstanceOf(PathPredicate);
    expect((p as PathPredicate).subtree).toBe(false);
  });
});

describe('PathSubtree', () => {
  it.each([
    ['/foo', '/foo', true],
    ['/foo', '/foo/', true],
    ['/foo', '/foo/bar/baz', true],
    ['/foo', '/foobar', false],
    ['/foo', '/fo', false],
    ['/foo/', '/foo', true],
    ['/foo/*rest', '/foo/x', true],
    ['/foo/:id', '/foo/1/x', true],
    ['/foo/:id', '/foo/', false],
    ['/', '/', true],
    ['/', '/anything/at/all', true],
  ])('PathSubtree(%j) on %s → %s', (pattern, url, expected) => {
    expect(matches('PathSubtree', [pattern], { url })).toBe(expected);
  });

  it('keeps the base without the trailing slash and names the remainder', () => {
    expect(parseSubtreePattern('PathSubtree', '/foo/')).toMatchObject({ key: '/foo', freeName: '*' });
    expect(parseSubtreePattern('PathSubtree', '/foo/*tail')).toMatchObject({ key: '/foo', freeName: 'tail' });
    expect(parseSubtreePattern('PathSubtree', '/')).toMatchObject({ key: '', freeName: '*' });
  });

  it.each([[[]], [[3]], [['/a/*x/b']], [['/a', '/b']]])('rejects PathSubtree(%j)', (args) => {
    expectInvalidArgs('PathSubtree', args);
  });
});

describe('PathRegexp', () => {
  it.each([
    [{ regexp: '^/api/' }, '/api/v1', true],
    [{ regexp: '^/api/' }, '/apix', false],
    ['^/api/', '/api/', true],
    [{ regexp: '\\.html$' }, '/a/b.html', true],
    [{ regexp: '\\.html$' }, '/a/b.htm', false],
    [{ regexp: '(?i)^/API' }, '/api', true],
    [{ regexp: '^/a/b$' }, '/a//b', true],
    [{ regexp: '^/x y$' }, '/x%20y', true],
  ])('PathRegexp(%j) on %s → %s', (arg, url, expected) => {
    expect(matches('PathRegexp', [arg], { url })).toBe(expected);
  });

  it.each([
    [[], 'one regexp'],
    [[{ regexp: '(' }], 'invalid regexp'],
    [[5], 'regexp or a string'],
    [[{ regexp: 'a' }, { regexp: 'b' }], 'one regexp'],
  ])('rejects PathRegexp(%j)', (args, fragment) => {
    expectInvalidArgs('PathRegexp', args, fragment);
  });
});
