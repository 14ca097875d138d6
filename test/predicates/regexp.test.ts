/** The RE2 → JS regexp translation used by every regexp-taking predicate. */
import fc from 'fast-check';
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

  it('reads a backslash and several digits as an octal code, as RE2 does', () => {
    expect(compileRegexp('T', '^\\101$').test('A')).toBe(true);
  });

  it('rewrites named groups to the JS form', () => {
    expect(translateRe2('(?P<x>a)').source).toBe('(?<x>a)');
  });

  it.each(['(?U)a+', '\\pL', 'a(?i)b', '[[:nope:]]', '(', 'a\\', '(a)\\1', '^(?=a)', 'a(?!b)', '(?<=a)b', '(?<!a)b'])('refuses %j with InvalidArgs', (source) => {
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

describe('case-insensitive expressions without the i flag', () => {
  it.each([
    ['^abc$', 'i', 'AbC', true],
    ['^[a-c]+$', 'i', 'ABCabc', true],
    ['^[X-c]+$', 'i', 'xyzABC_^', true],
    ['^[^a-z]+$', 'i', 'ABC', false],
    ['^[[:lower:]]+$', 'i', 'aBc', true],
    ['^\\Qa.b\\E$', 'i', 'A.B', true],
    ['^\\Qa.b\\E$', 'i', 'AxB', false],
    ['^(?P<Name>x)\\w\\d$', 'i', 'X_1', true],
    ['(?i)^host[.]example$', '', 'HOST.Example', true],
  ])('/%s/%s on %j → %s', (source, flags, input, expected) => {
    const regexp = compileRegexp('T', source, flags);
    expect(regexp.flags).not.toContain('i');
    expect(regexp.test(input)).toBe(expected);
  });

  it('keeps a group name as written', () => {
    expect(compileRegexp('T', '(?P<Ver>v[0-9]+)', 'i').exec('V12')?.groups?.['Ver']).toBe('V12');
  });

  it('matches what the i flag matches, on random expressions and inputs', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'B', 'z', 'X', '0', '_', '-', '.', '\\d', '\\w', '\\W', '\\.', '[a-f]', '[X-c]', '[^B-y]', '[[:upper:]]', '[[:alpha:]0-9]', '[]a]', '\\Qz.Z\\E'),
      fc.constantFrom('(?:a|B)', '(x|Y)', '(q|Zz)'),
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{1,2}')).map(([a, q]) => a + q);
    const pattern = fc.tuple(fc.constantFrom('', '^'), fc.array(piece, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '$')).map(([h, ps, t]) => h + ps.join('') + t);
    const input = fc.array(fc.constantFrom('a', 'A', 'b', 'B', 'f', 'F', 'x', 'X', 'y', 'z', 'Z', 'q', 'Q', '0', '_', '-', '.', '[', '^', '`', 'é', 'É', 'ſ', 'K'), { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(pattern, input, (source, text) => {
        const plain = translateRe2(source);
        const reference = new RegExp(plain.source, `${plain.flags}i`);
        expect(compileRegexp('T', source, 'i').test(text), `/${source}/i on ${JSON.stringify(text)}`).toBe(reference.test(text));
      }),
      { numRuns: 3000, seed: 2026 },
    );
  });
});
