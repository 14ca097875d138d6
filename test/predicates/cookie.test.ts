/** Cookie(name, regexp). */
import { describe, expect, it } from 'vitest';
import { expectInvalidArgs, matches } from './create.js';

describe('Cookie', () => {
  it.each([
    ['alpha', { regexp: '^enabled$' }, 'alpha=enabled', true],
    ['alpha', { regexp: '^enabled$' }, 'beta=1; alpha=enabled', true],
    ['alpha', { regexp: '^enabled$' }, 'alpha=disabled', false],
    ['alpha', { regexp: '^enabled$' }, 'alphabet=enabled', false],
    ['alpha', '^en', 'alpha=enabled', true],
    ['alpha', { regexp: '' }, 'alpha=', true],
  ])('Cookie(%j, %j) with cookie %j → %s', (name, re, cookie, expected) => {
    expect(matches('Cookie', [name, re], { headers: { cookie } })).toBe(expected);
  });

  it('does not match a request without cookies', () => {
    expect(matches('Cookie', ['alpha', { regexp: '.*' }], {})).toBe(false);
  });

  it.each([
    [['alpha'], 'a cookie name and a regexp'],
    [['', { regexp: 'a' }], 'must not be empty'],
    [['alpha', { regexp: '(' }], 'invalid regexp'],
    [['alpha', 1], 'regexp or a string'],
  ])('rejects Cookie(%j)', (args, fragment) => {
    expectInvalidArgs('Cookie', args, fragment);
  });
});
