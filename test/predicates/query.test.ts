/** QueryParam(key) and QueryParam(key, regexp). */
import { describe, expect, it } from 'vitest';
import type { Arg } from '../../src/spec.js';
import { expectInvalidArgs, matches } from './create.js';

describe('QueryParam', () => {
  it.each<[Arg[], string, boolean]>([
    [['debug'], '/?debug', true],
    [['debug'], '/?debug=', true],
    [['debug'], '/?debug=1', true],
    [['debug'], '/?other=1', false],
    [['debug'], '/', false],
    [['v', { regexp: '^2$' }], '/?v=1&v=2', true],
    [['v', { regexp: '^2$' }], '/?v=1', false],
    [['v', '^a b$'], '/?v=a%20b', true],
    [['v', '^a b$'], '/?v=a+b', true],
  ])('QueryParam(%j) on %s → %s', (args, url, expected) => {
    expect(matches('QueryParam', args, { url })).toBe(expected);
  });

  it.each([
    [[], 'a key and an optional regexp'],
    [['a', { regexp: 'b' }, 'c'], 'a key and an optional regexp'],
    [[''], 'must not be empty'],
    [['a', { regexp: '(' }], 'invalid regexp'],
    [[{ regexp: 'a' }], 'must be a string'],
  ])('rejects QueryParam(%j)', (args, fragment) => {
    expectInvalidArgs('QueryParam', args, fragment);
  });
});
