/**
 * The linear-time matcher must answer exactly what V8's RegExp.test answers, on the JS syntax
 * the eskip translation writes (non-Unicode mode, Annex B included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazyDfa } from '../../../src/predicates/linear/dfa.js';
import { MAX_INSTRUCTIONS, ProgramTooLarge, compileProgram } from '../../../src/predicates/linear/program.js';
import { UnsupportedSyntax, parseRegexp } from '../../../src/predicates/linear/syntax.js';
import { LinearRegExp, linearRegexp } from '../../../src/predicates/linear/linear-regexp.js';
import { compileRegexp } from '../../../src/predicates/regexp.js';

function dfa(source: string, flags = ''): LazyDfa {
  return new LazyDfa(compileProgram(parseRegexp(source, flags)));
}

/** The matcher and V8 agree on every text. */
function agree(source: string, flags: string, texts: readonly string[]): void {
  const mine = dfa(source, flags);
  // the same automaton run without its cache from the first new state on
  const direct = new LazyDfa(compileProgram(parseRegexp(source, flags)), { maxMisses: 0 });
  // as routes get it: the automaton made from the RegExp's own (escaped) source
  const routeRegexp = new LinearRegExp(source, flags);
  const reference = new RegExp(source, flags);
  for (const text of texts) {
    const expected = reference.test(text);
    expect(mine.test(text), `/${source}/${flags} on ${JSON.stringify(text)}`).toBe(expected);
    expect(direct.test(text), `uncached /${source}/${flags} on ${JSON.stringify(text)}`).toBe(expected);
    expect(routeRegexp.test(text), `LinearRegExp /${source}/${flags} on ${JSON.stringify(text)}`).toBe(expected);
  }
}

describe('LazyDfa agrees with RegExp.test', () => {
  it.each([
    ['^/api/v[0-9]+/items$', '', ['/api/v1/items', '/api/v12/items', '/api/v/items', 'x/api/v1/items', '/api/v1/items/']],
    ['[a-z]+$', '', ['abc', 'abc!', '!', '', 'ab1c']],
    ['^$', '', ['', 'a', '\n']],
    ['^a|b$', '', ['a', 'xb', 'xa', 'bx', '']],
    ['x*', '', ['', 'y']],
    ['(a*)*b', '', ['aaab', 'aaa', 'b', '']],
    ['(?:ab){2,3}c', '', ['ababc', 'abc', 'abababc', 'ababababc', 'xababc']],
    ['a{0,2}$', '', ['', 'aaa', 'b']],
    ['^a{2,}$', '', ['a', 'aa', 'aaaa', 'aab']],
    ['^[0-9a-f]{32}$', '', ['0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcde', '0123456789abcdef0123456789abcdeg']],
    ['\\bfoo\\b', '', ['foo', 'a foo b', 'afoo', 'foo_', 'foo-bar']],
    ['\\Boo\\B', '', ['foo', 'fooo', 'oo', ' oo ']],
    ['^b', 'm', ['a\nb', 'a\rb', 'ab', 'a\u2028b']],
    ['a$', 'm', ['a\nb', 'ab', 'a']],
    ['^b', '', ['a\nb']],
    ['a.b', '', ['a\nb', 'a\rb', 'axb', 'a\u2029b', 'a\u00e9b']],
    ['a.b', 's', ['a\nb', 'a\rb', 'axb']],
    ['(?<![\\s\\S])a', 'm', ['a', 'ba', '\na']],
    ['a(?![\\s\\S])', 'm', ['a', 'a\n', 'ab']],
    ['[\\d-z]+$', '', ['1-z', '-', 'y']],
    ['[\\w.]+@', '', ['a.b@', '@', 'a b@']],
    ['[^]', '', ['', 'x', '\n']],
    ['[]', '', ['', 'x']],
    ['\\s+', '', ['\t', '\u00a0', '\ufeff', 'x', '\u2028']],
    ['^\\S\\D\\W$', '', ['a!.', 'aa.', 'a1.', ' a.']],
    ['^\\101\\x41\\u0041\\cA\\0$', '', ['AAA\u0001\u0000', 'AAA\u0001']],
    ['^\\8\\9$', '', ['89']],
    ['^[\\b]$', '', ['\b', 'b']],
    ['a{,2}', '', ['a{,2}', 'aa']],
    ['x{', '', ['x{', 'x']],
    ['^(?<ver>v[0-9]+)/', '', ['v1/', 'v/']],
    ['é+$', '', ['éé', 'e']],
    ['[à-ÿ]{2}', '', ['àÿ', 'àa', 'Ā']],
    ['\\u{41}', '', ['u'.repeat(41), 'A']],
    ['a/b\n', '', ['a/b\n', 'a/b']],
  ])('/%s/%s', (source, flags, texts) => {
    agree(source, flags, texts);
  });

  it('agrees on random expressions and texts', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'c', '.', '\\d', '\\w', '\\W', '\\s', '[ab]', '[^a]', '[a-c0-1]', '\\b', '\\B', '^', '$', '\\n', '-', '[\\s\\S]'),
      fc.constantFrom('(?:a|bc)', '(a|)', '(b*|c)', '(?:a*)', '(?:)', '(^a|b$)'),
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,3}', '{2,}', '*?', '+?')).map(([a, q]) =>
      // V8 refuses a quantifier on ^, $, \b and \B
      /^(\^|\$|\\b|\\B)$/.test(a) ? a : a + q,
    );
    const group = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => `(?:${ps.join('')})`);
    const part = fc.oneof({ arbitrary: piece, weight: 4 }, { arbitrary: fc.tuple(group, fc.constantFrom('', '*', '+', '{1,2}')).map(([g, q]) => g + q), weight: 1 });
    const pattern = fc.tuple(fc.array(part, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '|a', '|^b$')).map(([ps, alt]) => ps.join('') + alt);
    const text = fc.array(fc.constantFrom('a', 'b', 'c', '0', '1', ' ', '\n', '\r', '-', '_', 'é', '\u2028'), { maxLength: 10 }).map((cs) => cs.join(''));
    const flags = fc.constantFrom('', 'm', 's', 'ms');
    fc.assert(
      fc.property(pattern, flags, fc.array(text, { minLength: 1, maxLength: 6 }), (source, f, texts) => {
        agree(source, f, texts);
      }),
      { numRuns: 3000, seed: 2611 },
    );
  });

  it('keeps agreeing after its state cache is started afresh', () => {
    // many states: (a|b)*a(a|b){8} needs one per suffix of the last nine letters
    const source = '(?:a|b)*a(?:a|b){8}$';
    const mine = new LazyDfa(compileProgram(parseRegexp(source, '')), { maxCells: 1 }); // 16 states at most
    const reference = new RegExp(source);
    let seed = 7;
    for (let n = 0; n < 400; n++) {
      let text = '';
      for (let k = 0; k < 40; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += seed & 1024 ? 'a' : 'b';
      }
      expect(mine.test(text)).toBe(reference.test(text));
    }
  });
});

describe('what the linear matcher refuses', () => {
  it.each(['(a)\\1', '(?=a)', '(?!a)b', '(?<=a)b', '(?<!a)b', '(?<n>a)\\k<n>'])('%s is unsupported syntax', (source) => {
    expect(() => parseRegexp(source, '')).toThrow(UnsupportedSyntax);
  });

  it('refuses flags other than m and s', () => {
    expect(() => parseRegexp('a', 'i')).toThrow(UnsupportedSyntax);
  });

  it('reads \\12 as an octal code without twelve groups, as V8 does', () => {
    agree('^\\12$', '', ['\n', '12']);
  });

  it(`refuses repetitions RE2 refuses, and programs past ${MAX_INSTRUCTIONS} instructions`, () => {
    expect(() => compileProgram(parseRegexp('a{1001}', ''))).toThrow(ProgramTooLarge);
    expect(() => compileProgram(parseRegexp('(?:(?:a{100}){100}){100}', ''))).toThrow(ProgramTooLarge);
    expect(() => compileProgram(parseRegexp('a{1000}', ''))).not.toThrow();
  });
});

describe('linearRegexp: which engine an expression gets', () => {
  const engineOf = (re: RegExp): string => (re instanceof LinearRegExp ? re.engine : 'v8');

  it('keeps V8 for expressions that cannot backtrack, the DFA for the others', () => {
    for (const source of ['^/api/v1/[0-9a-f]{32}$', '^/(a|b|c)/x$', '^/plain$']) expect(engineOf(linearRegexp(source, '')), source).toBe('v8');
    for (const source of ['^/api/.*', '[a-z]+$', 'a?', '(?:ab){1,2}', '(a|b)(c|d)(e|f)(g|h)(i|j)']) {
      expect(engineOf(linearRegexp(source, '')), source).toBe('dfa');
    }
  });

  it('decides on the first test for a short expression without counted repetitions', () => {
    const re = linearRegexp('^(svc[.]example[.]org[.]?(:[0-9]+)?)$', '');
    expect(re).toBeInstanceOf(LinearRegExp);
    expect(re.test('svc.example.org:8080')).toBe(true);
    expect(re.test('svc.example.org:80x')).toBe(false);
  });

  it('falls back to V8 at the first test for what the DFA cannot read', () => {
    const re = linearRegexp('(a)\\1+', '');
    expect(re.test('aaa')).toBe(true);
    expect(engineOf(re)).toBe('v8');
  });

  it('answers test through the DFA and leaves exec, replace and split to V8', () => {
    const re = linearRegexp('^/v(?<n>[0-9]+)/', '');
    expect(re.test('/v12/x')).toBe(true);
    expect(re.test('/vx/')).toBe(false);
    expect(re.exec('/v12/x')?.groups?.['n']).toBe('12');
    expect('/v1/a'.replace(re, '/')).toBe('/a');
    expect('a1b22c'.split(linearRegexp('[0-9]+', ''))).toEqual(['a', 'b', 'c']);
  });

  it('refuses an expression too large to run linearly when it is compiled, not on first use', () => {
    expect(() => linearRegexp('x(?:a{100}b*){300}', '')).toThrow(ProgramTooLarge);
  });
});

describe('compileRegexp and the size limit', () => {
  it('sets the route aside with the reason', () => {
    expect(() => compileRegexp('PathRegexp', '^/a{1001}')).toThrow(/PathRegexp: invalid regexp \/\^\/a\{1001\}\/: too large to match in linear time/);
    expect(compileRegexp('PathRegexp', '^/a{1,1000}$').test(`/${'a'.repeat(1000)}`)).toBe(true);
  });
});
