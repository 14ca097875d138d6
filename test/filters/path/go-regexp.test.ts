import { describe, expect, it } from 'vitest';
import { compileGoRegexp } from '../../../filters/path/go-regexp.js';
import { goReplacement } from '../../../filters/path/go-replacement.js';

describe('compileGoRegexp', () => {
  it.each([
    // [Go source, input, should match]
    ['^/api/', '/api/x', true],
    ['(?i)^/API', '/api', true],
    ['^/API', '/api', false],
    ['(?P<v>v[0-9]+)', '/v12', true],
    ['\\A/x\\z', '/x', true],
    ['\\A/x\\z', '/x/', false],
    ['\\A/x\\z', 'a/x', false],
    ['^[[:digit:]]+$', '123', true],
    ['^[[:digit:]]+$', '12a', false],
    ['^[^[:space:]]+$', 'a b', false],
    ['^[]a]+$', ']a]', true],
    ['^[^]a]+$', 'bcd', true],
    ['^[^]a]+$', 'b]d', false],
    ['/a\\.b', '/a.b', true],
    ['/a\\.b', '/axb', false],
  ])('/%s/ on %j: %s', (source, input, matches) => {
    const { regexp } = compileGoRegexp(source);
    expect(regexp.test(input)).toBe(matches);
  });

  it('counts groups and collects names', () => {
    const re = compileGoRegexp('^/(a)(?P<rest>.*)(?:x)?$');
    expect(re.groupCount).toBe(2);
    expect([...re.groupNames]).toEqual(['rest']);
  });

  it('reads RE2 \\Q…\\E as a literal, as the predicates do', () => {
    const re = compileGoRegexp('^\\Qa.b\\E$');
    expect(re.regexp.test('a.b')).toBe(true);
    expect(re.regexp.test('axb')).toBe(false);
  });

  it.each([['\\pL'], ['(?U)a+'], ['[[:nope:]]'], ['(unclosed'], ['a\\'], ['x(?i)y']])(
    'refuses %j',
    (source) => {
      expect(() => compileGoRegexp(source)).toThrow();
    },
  );
});

describe('goReplacement follows Go regexp.Expand', () => {
  it.each([
    // [pattern, template, input, expected]
    ['/(a+)/', '/$1$1/', '/aa/', '/aaaa/'],
    ['/(a+)/', '/${1}x/', '/aa/', '/aax/'],
    ['/(a+)/', '/$1x/', '/aa/', '//'], // Go reads $1x as a group named "1x"
    ['/(a+)/', '/$2/', '/aa/', '//'], // a group that does not exist gives ''
    ['/(?P<word>a+)/', '/$word-${word}/', '/aa/', '/aa-aa/'],
    ['/(a+)/', '$$1', '/aa/', '$1'],
    ['/(a+)/', '$0', '/aa/', '/aa/'],
    ['/(a+)/', "$&$`$'", '/aa/', "$&$`$'"], // JS-only forms are literal text in Go
    ['/(a+)/', 'cost $', '/aa/', 'cost $'],
    ['/(a+)/', '${1', '/aa/', '${1'],
    ['(a)(b)?', '[$2]', 'a', '[]'], // an unmatched group gives ''
    ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', '$10|${1}0', 'abcdefghij', 'j|a0'],
  ])('%s with %j on %j gives %j', (pattern, template, input, expected) => {
    const re = compileGoRegexp(pattern, true);
    expect(input.replace(re.regexp, goReplacement(template, re))).toBe(expected);
  });
});
