/**
 * The eskip grammar: documents, route expressions, arguments, every backend form, the bare
 * predicate and filter entry points, and the parse-time checks.
 */
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { EskipParseError } from '../../src/eskip/lexer.js';
import { parseFilters, parsePredicates, parseRoute, parseRoutes } from '../../src/eskip/parser.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';

function parseError(text: string, parse: (t: string) => unknown = parseRoutes): EskipParseError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(EskipParseError);
    return e as EskipParseError;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('documents', () => {
  it('parses the reference example', () => {
    const text = `catalog: Path("/*category") -> "https://catalog.example.org";
productPage: Path("/products/:id") -> "https://products.example.org";
notfound: * -> modPath(/.+/, "/notfound.html") -> static("/", "/var/www") -> <shunt>`;
    expect(parseRoutes(text)).toEqual<RouteDefinition[]>([
      {
        id: 'catalog',
        predicates: [{ name: 'Path', args: ['/*category'] }],
        filters: [],
        backend: { type: 'network', address: 'https://catalog.example.org' },
      },
      {
        id: 'productPage',
        predicates: [{ name: 'Path', args: ['/products/:id'] }],
        filters: [],
        backend: { type: 'network', address: 'https://products.example.org' },
      },
      {
        id: 'notfound',
        predicates: [],
        filters: [
          { name: 'modPath', args: [{ regexp: '.+' }, '/notfound.html'] },
          { name: 'static', args: ['/', '/var/www'] },
        ],
        backend: { type: 'shunt' },
      },
    ]);
  });

  it('accepts an empty document, whitespace, comments or only semicolons', () => {
    expect(parseRoutes('')).toEqual([]);
    expect(parseRoutes('  \n\t // nothing here\n')).toEqual([]);
    expect(parseRoutes(';;\n;')).toEqual([]);
  });

  it('accepts a trailing semicolon, and repeated ones between routes', () => {
    const routes = parseRoutes('a: * -> <shunt>;;; b: * -> <shunt>;');
    expect(routes.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('accepts one bare route expression as the whole document, with id ""', () => {
    expect(parseRoutes('Path("/") -> setPath("/x") -> "http://127.0.0.1:8080"')).toEqual([
      {
        id: '',
        predicates: [{ name: 'Path', args: ['/'] }],
        filters: [{ name: 'setPath', args: ['/x'] }],
        backend: { type: 'network', address: 'http://127.0.0.1:8080' },
      },
    ]);
    expect(parseRoutes('* -> <shunt>;')).toEqual([{ id: '', predicates: [], filters: [], backend: { type: 'shunt' } }]);
    expect(parseRoutes('Method ("GET") -> <shunt>')[0]?.predicates).toEqual([{ name: 'Method', args: ['GET'] }]);
  });

  it('keeps route order and comments between routes out', () => {
    const text = `// first
r1: Path("/a") -> <shunt>; // trailing comment
// between
r2: Path("/b") // inside a route
  -> <loopback>;`;
    expect(parseRoutes(text).map((r) => [r.id, r.backend.type])).toEqual([
      ['r1', 'shunt'],
      ['r2', 'loopback'],
    ]);
  });

  it('parseRoute returns the one route and refuses more or none', () => {
    expect(parseRoute('r: * -> <dynamic>').id).toBe('r');
    expect(parseRoute('* -> <dynamic>').id).toBe('');
    expect(parseError('a: * -> <shunt>; b: * -> <shunt>', parseRoute).detail).toBe('expected exactly one route, found 2');
    expect(parseError('', parseRoute).detail).toBe('expected exactly one route, found 0');
  });
});

describe('predicates', () => {
  it('joins predicates with &&', () => {
    const [r] = parseRoutes('r: Host(/^example\\.org$/) && Method("GET") && Weight(3) -> <shunt>');
    expect(r?.predicates).toEqual([
      { name: 'Host', args: [{ regexp: '^example\\.org$' }] },
      { name: 'Method', args: ['GET'] },
      { name: 'Weight', args: [3] },
    ]);
  });

  it('represents * as an empty list and drops it next to other predicates', () => {
    expect(parseRoute('r: * -> <shunt>').predicates).toEqual([]);
    expect(parseRoute('r: * && Foo() -> <shunt>').predicates).toEqual([{ name: 'Foo', args: [] }]);
    expect(parseRoute('r: Foo() && * -> <shunt>').predicates).toEqual([{ name: 'Foo', args: [] }]);
  });

  it('drops the deprecated Any() like *', () => {
    expect(parseRoute('r: Any() -> <shunt>').predicates).toEqual([]);
    expect(parseRoute('r: Any() && Foo() -> <shunt>').predicates).toEqual([{ name: 'Foo', args: [] }]);
  });

  it('takes mixed arguments', () => {
    const [r] = parseRoutes('r: P(1, -2.5, .5, "s", `t`, /r/) -> <shunt>');
    expect(r?.predicates[0]?.args).toEqual([1, -2.5, 0.5, 's', 't', { regexp: 'r' }]);
  });
});

describe('filters', () => {
  it('chains filters with -> in order', () => {
    const r = parseRoute('r: * -> a() -> b(1) -> c("x", /y/) -> <shunt>');
    expect(r.filters).toEqual([
      { name: 'a', args: [] },
      { name: 'b', args: [1] },
      { name: 'c', args: ['x', { regexp: 'y' }] },
    ]);
  });
});

describe('backends', () => {
  it.each<[string, RouteDefinition['backend']]>([
    ['"https://example.org:8443/ignored"', { type: 'network', address: 'https://example.org:8443/ignored' }],
    ['`http://127.0.0.1:9090`', { type: 'network', address: 'http://127.0.0.1:9090' }],
    ['<shunt>', { type: 'shunt' }],
    ['<loopback>', { type: 'loopback' }],
    ['<dynamic>', { type: 'dynamic' }],
    ['<forward>', { type: 'forward' }],
    ['<"http://a:80">', { type: 'lb', endpoints: ['http://a:80'] }],
    ['<"http://a:80", "http://b:80">', { type: 'lb', endpoints: ['http://a:80', 'http://b:80'] }],
    ['<roundRobin, "http://a:80", "http://b:80">', { type: 'lb', algorithm: 'roundRobin', endpoints: ['http://a:80', 'http://b:80'] }],
    ['< consistentHash ,"https://a" ,\n "HTTPS://b" >', { type: 'lb', algorithm: 'consistentHash', endpoints: ['https://a', 'HTTPS://b'] }],
    ['<random, "10.0.0.1:80", "10.0.0.2:80">', { type: 'lb', algorithm: 'random', endpoints: ['10.0.0.1:80', '10.0.0.2:80'] }],
  ])('%s', (text, backend) => {
    const r = parseRoute(`r: * -> ${text}`);
    expect(r.backend).toStrictEqual(backend);
  });

  it('leaves the algorithm out when none is given', () => {
    const r = parseRoute('r: * -> <"http://a", "http://b">');
    expect('algorithm' in r.backend).toBe(false);
  });

  it('refuses load-balanced endpoints with mixed schemes', () => {
    const err = parseError('r: * -> <"http://a", "https://b">');
    expect(err.code).toBe(ErrorCode.Parse);
    expect(err.detail).toContain('loadbalancer endpoints cannot have mixed protocols');
    expect(err.column).toBe(22);
  });
});

describe('parse-time checks', () => {
  it('allows at most one Path or PathSubtree', () => {
    expect(parseError('r: Path("/a") && Path("/b") -> <shunt>').detail).toContain('duplicate path tree predicate');
    expect(parseError('r: Path("/a") && PathSubtree("/b") -> <shunt>').detail).toContain('duplicate path tree predicate');
    expect(parseError('r: PathSubtree("/a") && PathSubtree("/b") -> <shunt>').column).toBe(25);
    expect(parseRoute('r: Path("/a") && PathRegexp(/b/) -> <shunt>').predicates).toHaveLength(2);
  });

  it('allows at most one Method', () => {
    const err = parseError('r: Method("GET") && Method("POST") -> <shunt>');
    expect(err.detail).toContain('duplicate method predicate');
    expect(err.column).toBe(21);
  });

  it('allows a Header key only once, ignoring case', () => {
    expect(parseError('r: Header("X-A", "1") && Header("x-a", "2") -> <shunt>').detail).toContain(
      'duplicate header predicate: "x-a"',
    );
    expect(parseRoute('r: Header("X-A", "1") && Header("X-B", "1") -> <shunt>').predicates).toHaveLength(2);
  });

  it('refuses a duplicate route id, pointing at both places', () => {
    const err = parseError('a: * -> <shunt>;\nb: * -> <shunt>;\na: * -> <shunt>');
    expect([err.line, err.column]).toEqual([3, 1]);
    expect(err.detail).toContain('duplicate route id "a" (first defined at line 1, column 1)');
  });

  it('does not apply route checks to a bare predicate list', () => {
    expect(parsePredicates('Method("GET") && Method("POST")')).toHaveLength(2);
  });
});

describe('parsePredicates', () => {
  it('parses a bare && list', () => {
    expect(parsePredicates('Header("X-Foo", "bar") && QueryParam("a", /^b$/)')).toEqual([
      { name: 'Header', args: ['X-Foo', 'bar'] },
      { name: 'QueryParam', args: ['a', { regexp: '^b$' }] },
    ]);
  });

  it('gives [] for empty text, whitespace or *', () => {
    expect(parsePredicates('')).toEqual([]);
    expect(parsePredicates('  \n ')).toEqual([]);
    expect(parsePredicates('*')).toEqual([]);
  });

  it('refuses anything after the list', () => {
    const err = parseError('A() && B() -> <shunt>', parsePredicates);
    expect(err.detail).toBe('expected "&&" or end of input, found "->"');
    expect(err.column).toBe(12);
    expect(parseError('A() &&', parsePredicates).detail).toBe('expected predicate name or "*", found end of input');
  });
});

describe('parseFilters', () => {
  it('parses a bare -> chain', () => {
    expect(parseFilters('setRequestHeader("X-A", "b") -> ratelimit(20, "1m")')).toEqual([
      { name: 'setRequestHeader', args: ['X-A', 'b'] },
      { name: 'ratelimit', args: [20, '1m'] },
    ]);
  });

  it('gives [] for empty text', () => {
    expect(parseFilters('')).toEqual([]);
    expect(parseFilters(' // only a comment')).toEqual([]);
  });

  it('refuses a backend or a dangling arrow', () => {
    expect(parseError('a() -> <shunt>', parseFilters).detail).toBe('expected filter name, found "<shunt>"');
    expect(parseError('a() ->', parseFilters).detail).toBe('expected filter name, found end of input');
    expect(parseError('a() b()', parseFilters).detail).toBe('expected "->" or end of input, found name "b"');
  });
});

describe('errors', () => {
  it('are SkiffErrors with the parse code', () => {
    const err = parseError('r: ->');
    expect(err).toBeInstanceOf(SkiffError);
    expect(err.code).toBe(ErrorCode.Parse);
    expect(err.name).toBe('EskipParseError');
  });

  it('match the documented shape', () => {
    const text = 'a: * -> <shunt>;\nb: * -> <shunt>;\nfoo: Path("/") ;';
    expect(() => parseRoutes(text)).toThrow('line 3, column 16: expected "->" or "&&", found ";" (route "foo")');
  });
});
