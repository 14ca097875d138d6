/**
 * Printing definitions as eskip: exact compact and pretty forms, string/regexp/number
 * encodings, and the definitions that have no eskip form.
 */
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { parseFilters, parsePredicates, parseRoute, parseRoutes } from '../../src/eskip/parser.js';
import {
  printArg,
  printBackend,
  printCall,
  printFilters,
  printNumber,
  printPredicates,
  printRegexp,
  printRoute,
  printRoutes,
  printString,
} from '../../src/eskip/printer.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';

const notfound: RouteDefinition = {
  id: 'notfound',
  predicates: [],
  filters: [
    { name: 'modPath', args: [{ regexp: '.+' }, '/notfound.html'] },
    { name: 'static', args: ['/', '/var/www'] },
  ],
  backend: { type: 'shunt' },
};

const catalog: RouteDefinition = {
  id: 'catalog',
  predicates: [
    { name: 'Path', args: ['/*category'] },
    { name: 'Weight', args: [2] },
  ],
  filters: [],
  backend: { type: 'network', address: 'https://catalog.example.org' },
};

function thrown(fn: () => unknown): SkiffError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SkiffError);
    return e as SkiffError;
  }
  throw new Error('no error');
}

describe('printRoute', () => {
  it('prints the compact form', () => {
    expect(printRoute(notfound)).toBe(
      'notfound: * -> modPath(/.+/, "/notfound.html") -> static("/", "/var/www") -> <shunt>;',
    );
    expect(printRoute(catalog)).toBe('catalog: Path("/*category") && Weight(2) -> "https://catalog.example.org";');
  });

  it('prints the pretty form with each filter and the backend on an indented line', () => {
    expect(printRoute(notfound, { pretty: true })).toBe(
      'notfound: *\n  -> modPath(/.+/, "/notfound.html")\n  -> static("/", "/var/www")\n  -> <shunt>;',
    );
  });

  it('prints a route without id as a bare expression that parses back', () => {
    const bare = { ...catalog, id: '' };
    expect(printRoute(bare)).toBe('Path("/*category") && Weight(2) -> "https://catalog.example.org";');
    expect(parseRoutes(printRoute(bare))).toEqual([bare]);
  });
});

describe('printRoutes', () => {
  it('puts one route per line, each ending in ;', () => {
    expect(printRoutes([catalog, notfound])).toBe(`${printRoute(catalog)}\n${printRoute(notfound)}`);
  });

  it('separates pretty routes by a blank line', () => {
    expect(printRoutes([catalog, notfound], { pretty: true })).toBe(
      'catalog: Path("/*category") && Weight(2)\n  -> "https://catalog.example.org";\n\n' +
        'notfound: *\n  -> modPath(/.+/, "/notfound.html")\n  -> static("/", "/var/www")\n  -> <shunt>;',
    );
  });

  it('prints nothing for no routes', () => {
    expect(printRoutes([])).toBe('');
    expect(parseRoutes(printRoutes([]))).toEqual([]);
  });

  it('refuses a route without id among others', () => {
    expect(thrown(() => printRoutes([catalog, { ...notfound, id: '' }])).code).toBe(ErrorCode.InvalidRoute);
  });

  it('prints equal definitions equally', () => {
    const copy = structuredClone(catalog) as RouteDefinition;
    expect(printRoutes([copy, notfound])).toBe(printRoutes([catalog, structuredClone(notfound) as RouteDefinition]));
  });
});

describe('backends', () => {
  it.each<[RouteDefinition['backend'], string]>([
    [{ type: 'network', address: 'http://127.0.0.1:8080' }, '"http://127.0.0.1:8080"'],
    [{ type: 'shunt' }, '<shunt>'],
    [{ type: 'loopback' }, '<loopback>'],
    [{ type: 'dynamic' }, '<dynamic>'],
    [{ type: 'forward' }, '<forward>'],
    [{ type: 'lb', endpoints: ['http://a:80', 'http://b:80'] }, '<"http://a:80", "http://b:80">'],
    [{ type: 'lb', algorithm: 'powerOfRandomNChoices', endpoints: ['http://a'] }, '<powerOfRandomNChoices, "http://a">'],
  ])('%j prints as %s', (backend, text) => {
    expect(printBackend(backend)).toBe(text);
    expect(parseRoute(`r: * -> ${text}`).backend).toStrictEqual(backend);
  });

  it('refuses an LB backend without endpoints or with a bad algorithm name', () => {
    expect(thrown(() => printBackend({ type: 'lb', endpoints: [] })).code).toBe(ErrorCode.InvalidBackend);
    expect(thrown(() => printBackend({ type: 'lb', algorithm: 'a b', endpoints: ['x'] })).code).toBe(
      ErrorCode.InvalidBackend,
    );
  });
});

describe('calls, predicates and filters', () => {
  it('prints calls with comma-separated arguments', () => {
    expect(printCall({ name: 'f', args: [] })).toBe('f()');
    expect(printCall({ name: 'f', args: [1, 'a', { regexp: 'b' }] })).toBe('f(1, "a", /b/)');
  });

  it('prints an empty predicate list as * and an empty filter chain as nothing', () => {
    expect(printPredicates([])).toBe('*');
    expect(parsePredicates(printPredicates([]))).toEqual([]);
    expect(printFilters([])).toBe('');
    expect(parseFilters(printFilters([]))).toEqual([]);
  });

  it('joins predicates with && and filters with ->', () => {
    const calls = [
      { name: 'A', args: ['x'] },
      { name: 'B', args: [] },
    ];
    expect(printPredicates(calls)).toBe('A("x") && B()');
    expect(printFilters(calls)).toBe('A("x") -> B()');
    expect(parsePredicates(printPredicates(calls))).toEqual(calls);
    expect(parseFilters(printFilters(calls))).toEqual(calls);
  });
});

describe('strings', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\\n', '"\\\\n"'],
    ['ü 😀 \u2028 `', '"ü 😀 \u2028 `"'],
    ['\0\x1b', '"\0\x1b"'],
  ])('%j prints as %s and reads back', (value, text) => {
    expect(printString(value)).toBe(text);
    expect(printArg(value)).toBe(text);
    expect(parseFilters(`f(${text})`)[0]?.args).toEqual([value]);
  });
});

describe('regexps', () => {
  it.each([
    ['^/api/v1$', '/^\\/api\\/v1$/'],
    ['\\.html$', '/\\.html$/'],
    ['a\\/b', '/a\\\\\\/b/'],
    ['a\\\\b', '/a\\\\\\\\b/'],
    ['ends\\', '/ends\\\\/'],
    ['[/]+', '/[\\/]+/'],
    ['[\\]/]', '/[\\]\\/]/'],
    ['\\[/', '/\\[\\//'],
    ['a\nb', '/a\nb/'],
    ['x*', '/x*/'],
  ])('%j prints as %s and reads back', (source, text) => {
    expect(printRegexp(source)).toBe(text);
    expect(printArg({ regexp: source })).toBe(text);
    expect(parseFilters(`f(${text})`)[0]?.args).toEqual([{ regexp: source }]);
  });

  it('refuses sources without a literal form', () => {
    expect(thrown(() => printRegexp('')).code).toBe(ErrorCode.InvalidArgs);
    expect(thrown(() => printRegexp('[abc')).code).toBe(ErrorCode.InvalidArgs);
  });
});

describe('numbers', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '-0'],
    [42, '42'],
    [-7, '-7'],
    [0.5, '0.5'],
    [-0.25, '-0.25'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-1.2345e-10, '-0.00000000012345'],
    [1.7976931348623157e308, '17976931348623157' + '0'.repeat(292)],
    [5e-324, '0.' + '0'.repeat(323) + '5'],
    [123456789.125, '123456789.125'],
  ])('%d prints as %s and reads back', (n, text) => {
    expect(printNumber(n)).toBe(text);
    const back = parseFilters(`f(${text})`)[0]?.args[0];
    expect(Object.is(back, n)).toBe(true);
  });

  it('prints integers without a decimal point', () => {
    expect(printNumber(parseFilters('f(1.0)')[0]?.args[0] as number)).toBe('1');
  });

  it('refuses NaN and infinities', () => {
    expect(thrown(() => printNumber(NaN)).code).toBe(ErrorCode.InvalidArgs);
    expect(thrown(() => printNumber(Infinity)).code).toBe(ErrorCode.InvalidArgs);
  });
});
