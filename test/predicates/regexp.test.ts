/** The RE2 → JS regexp translation used by every regexp-taking predicate. */
import { describe, expect, it } from 'vitest';
import { compileRegexp, translateRe2 } from '../../src/predicates/regexp.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';

describe('translateRe2', () => {
  it.each([
    ['(?i)^abc$', 'ABC', true],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?P<ver>v[0-9]+)', 'v12', true],
    ['\\Aabc\\z', 'abc', true],
    ['\\Aabc\\z', 'abc\n', false],
    ['^[[:alpha:]]+$', 'abcXYZ', true],
    ['^[[:alpha:]]+$', 'abc1', false],
    ['^[^[:digit:]]+$', 'abc', true],
    ['^[]a]+$', ']a]', true],
    ['\\Q1+1=2\\E', '1+1=2', true],
    ['\\Q1+1=2\\E', '11=2', false],
    ['^a/b$', 'a/b', true],
  ])('/%s/ on %j → %s', (source, input, expected) => {
    expect(compileRegexp('T', source).test(input)).toBe(expected);
  });

  it('rewrites named groups to the JS form', () => {
    expect(translateRe2('(?P<x>a)').source).toBe('(?<x>a)');
  });

  it.each(['(?U)a+', '\\pL', 'a(?i)b', '[[:nope:]]', '(', 'a\\'])('refuses %j with InvalidArgs', (source) => {
    let error: unknown;
    try {
      compileRegexp('Host', source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SkiffError);
    expect((error as SkiffError).code).toBe(ErrorCode.InvalidArgs);
    expect((error as SkiffError).message).toMatch(/^Host: invalid regexp/);
  });
});

describe('compileRegexp sharing', () => {
  it('shares one RegExp per source and flags, and keeps flags apart', () => {
    const a = compileRegexp('Host', '^shared[.]example$', 'i');
    expect(compileRegexp('Host', '^shared[.]example$', 'i')).toBe(a);
    const b = compileRegexp('PathRegexp', '^shared[.]example$');
    expect(b).not.toBe(a);
    expect(a.test('SHARED.example')).toBe(true);
    expect(b.test('SHARED.example')).toBe(false);
  });

  it('never hands out stateful (global or sticky) expressions', () => {
    expect(() => compileRegexp('T', 'a', 'g')).toThrow(SkiffError);
  });
});
