/**
 * The one shared table of matcher cases: eskip routes, a request, the route id expected (null
 * for no match) and the path parameters. Names say which rule of the lookup order they pin:
 * host index (exact → wildcard → hostless, first bucket with a match wins), then the path tree
 * (static > :param > *free, with backtracking), then routes without a path, and inside a leaf
 * Skipper's weight with definition order as the tie-break.
 */
import type { TestRequest } from '../helpers/request.js';

export interface MatcherCase {
  readonly name: string;
  readonly routes: string;
  readonly request: TestRequest & { random?: number };
  readonly expected: string | null;
  readonly params?: Record<string, string>;
}

const K8S_EXAMPLE = '/^(example[.]org[.]?(:[0-9]+)?)$/';
const K8S_WWW = '/^(www[.]example[.]org[.]?(:[0-9]+)?)$/';
const WILDCARD_EXAMPLE = '/^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?$/';

const precedence = `
  param: Path("/users/:id") -> <shunt>;
  me: Path("/users/me") -> <shunt>;
  free: Path("/files/*rest") -> <shunt>;
  one: Path("/files/:name") -> <shunt>;
`;

export const matcherCases: readonly MatcherCase[] = [
  // path tree: static > param > free
  { name: 'tree: static beats param', routes: precedence, request: { url: '/users/me' }, expected: 'me' },
  { name: 'tree: param takes one segment', routes: precedence, request: { url: '/users/42' }, expected: 'param', params: { id: '42' } },
  { name: 'tree: param does not take two segments', routes: precedence, request: { url: '/users/42/x' }, expected: null },
  { name: 'tree: param never takes an empty segment', routes: precedence, request: { url: '/users/' }, expected: null },
  { name: 'tree: param beats free wildcard', routes: precedence, request: { url: '/files/a' }, expected: 'one', params: { name: 'a' } },
  {
    name: 'tree: free wildcard takes the rest, with its leading slash',
    routes: precedence,
    request: { url: '/files/a/b/c' },
    expected: 'free',
    params: { rest: '/a/b/c' },
  },
  { name: 'tree: free wildcard needs a non-empty rest', routes: precedence, request: { url: '/files/' }, expected: null },
  {
    name: 'tree: params are decoded path segments',
    routes: precedence,
    request: { url: '/users/j%C3%BCrgen' },
    expected: 'param',
    params: { id: 'jürgen' },
  },

  // backtracking
  {
    name: 'backtracking: static leaf refuses, param node takes over',
    routes: `me: Path("/users/me") && Method("POST") -> <shunt>; param: Path("/users/:id") -> <shunt>;`,
    request: { url: '/users/me', method: 'GET' },
    expected: 'param',
    params: { id: 'me' },
  },
  {
    name: 'backtracking: dead-end static branch falls back to a param one level up',
    routes: `abc: Path("/a/b/c") -> <shunt>; axd: Path("/a/:x/d") -> <shunt>;`,
    request: { url: '/a/b/d' },
    expected: 'axd',
    params: { x: 'b' },
  },
  {
    name: 'backtracking: param branch fails, subtree free wildcard takes over',
    routes: `deep: Path("/a/:x/c") -> <shunt>; sub: PathSubtree("/a") -> <shunt>;`,
    request: { url: '/a/b/d' },
    expected: 'sub',
    params: { '*': '/b/d' },
  },
  {
    name: 'backtracking: static prefix of a longer segment is not a match',
    routes: `foo: Path("/foo") -> <shunt>; any: Path("/:seg") -> <shunt>;`,
    request: { url: '/foobar' },
    expected: 'any',
    params: { seg: 'foobar' },
  },

  // trailing slash
  { name: 'path: Path("/foo") does not match /foo/', routes: `a: Path("/foo") -> <shunt>;`, request: { url: '/foo/' }, expected: null },
  { name: 'path: Path("/foo/") matches /foo/', routes: `a: Path("/foo/") -> <shunt>;`, request: { url: '/foo/' }, expected: 'a' },
  { name: 'path: request paths are cleaned before matching', routes: `a: Path("/a/b") -> <shunt>;`, request: { url: '//a/./x/../b' }, expected: 'a' },

  // PathSubtree
  { name: 'subtree: base path, remainder "/"', routes: `s: PathSubtree("/foo") -> <shunt>;`, request: { url: '/foo' }, expected: 's', params: { '*': '/' } },
  { name: 'subtree: base with slash, remainder "/"', routes: `s: PathSubtree("/foo") -> <shunt>;`, request: { url: '/foo/' }, expected: 's', params: { '*': '/' } },
  {
    name: 'subtree: below the base',
    routes: `s: PathSubtree("/foo") -> <shunt>;`,
    request: { url: '/foo/bar/baz' },
    expected: 's',
    params: { '*': '/bar/baz' },
  },
  { name: 'subtree: a longer segment is not below the base', routes: `s: PathSubtree("/foo") -> <shunt>;`, request: { url: '/foobar' }, expected: null },
  {
    name: 'subtree: named remainder',
    routes: `s: PathSubtree("/static/*file") -> <shunt>;`,
    request: { url: '/static/css/a.css' },
    expected: 's',
    params: { file: '/css/a.css' },
  },
  {
    name: 'subtree: with a param in the base',
    routes: `s: PathSubtree("/t/:tenant") -> <shunt>;`,
    request: { url: '/t/acme/x' },
    expected: 's',
    params: { tenant: 'acme', '*': '/x' },
  },
  { name: 'subtree: PathSubtree("/") matches the root', routes: `s: PathSubtree("/") -> <shunt>;`, request: { url: '/' }, expected: 's', params: { '*': '/' } },
  {
    name: 'subtree: PathSubtree("/") matches everything',
    routes: `s: PathSubtree("/") -> <shunt>; x: Path("/x") -> <shunt>;`,
    request: { url: '/y/z' },
    expected: 's',
    params: { '*': '/y/z' },
  },
  {
    name: 'subtree: a deeper static Path beats the subtree',
    routes: `s: PathSubtree("/api") -> <shunt>; users: Path("/api/users") -> <shunt>;`,
    request: { url: '/api/users' },
    expected: 'users',
  },
  {
    name: 'subtree: Path and PathSubtree on the same path tie on weight, first defined wins',
    routes: `s: PathSubtree("/foo") -> <shunt>; p: Path("/foo") -> <shunt>;`,
    request: { url: '/foo' },
    expected: 's',
    params: { '*': '/' },
  },
  {
    name: 'subtree: same tie, other definition order',
    routes: `p: Path("/foo") -> <shunt>; s: PathSubtree("/foo") -> <shunt>;`,
    request: { url: '/foo' },
    expected: 'p',
  },

  // wildcard names per route
  {
    name: 'names: /r/:id and /r/:rid share a node, each route keeps its names (first)',
    routes: `id: Path("/r/:id") && Header("X-V", "1") -> <shunt>; rid: Path("/r/:rid") -> <shunt>;`,
    request: { url: '/r/7', headers: { 'x-v': '1' } },
    expected: 'id',
    params: { id: '7' },
  },
  {
    name: 'names: /r/:id and /r/:rid share a node, each route keeps its names (second)',
    routes: `id: Path("/r/:id") && Header("X-V", "1") -> <shunt>; rid: Path("/r/:rid") -> <shunt>;`,
    request: { url: '/r/7' },
    expected: 'rid',
    params: { rid: '7' },
  },

  // weights inside a leaf
  {
    name: 'weight: more conditions first',
    routes: `plain: Path("/w") -> <shunt>; get: Path("/w") && Method("GET") -> <shunt>;`,
    request: { url: '/w', method: 'GET' },
    expected: 'get',
  },
  {
    name: 'weight: a failing heavier route lets the lighter one match',
    routes: `plain: Path("/w") -> <shunt>; get: Path("/w") && Method("GET") -> <shunt>;`,
    request: { url: '/w', method: 'POST' },
    expected: 'plain',
  },
  {
    name: 'weight: Weight(n) adds n',
    routes: `get: Path("/w") && Method("GET") -> <shunt>; boosted: Path("/w") && Weight(5) -> <shunt>;`,
    request: { url: '/w', method: 'GET' },
    expected: 'boosted',
  },
  {
    name: 'weight: header conditions count distinct keys',
    routes: `twice: Path("/h") && HeaderRegexp("X-A", /1/) && HeaderRegexp("x-a", /^1$/) -> <shunt>;
             two: Path("/h") && Method("GET") && True() -> <shunt>;`,
    request: { url: '/h', headers: { 'x-a': '1' } },
    expected: 'two',
  },
  {
    name: 'weight: equal weights, first defined wins',
    routes: `first: Path("/t") && Method("GET") -> <shunt>; second: Path("/t") && Header("X", "y") -> <shunt>;`,
    request: { url: '/t', headers: { x: 'y' } },
    expected: 'first',
  },
  {
    name: 'weight: False() disables a route whatever its weight',
    routes: `off: Path("/t") && False() && Weight(10) -> <shunt>; on: Path("/t") -> <shunt>;`,
    request: { url: '/t' },
    expected: 'on',
  },

  // routes without a path predicate
  {
    name: 'no path: tried after the tree, whatever their weight',
    routes: `heavy: Method("GET") && Weight(100) -> <shunt>; x: Path("/x") -> <shunt>;`,
    request: { url: '/x' },
    expected: 'x',
  },
  {
    name: 'no path: match when the tree has nothing',
    routes: `heavy: Method("GET") && Weight(100) -> <shunt>; x: Path("/x") -> <shunt>;`,
    request: { url: '/y' },
    expected: 'heavy',
  },
  {
    name: 'no path: sorted by weight too',
    routes: `all: * -> <shunt>; get: Method("GET") -> <shunt>;`,
    request: { url: '/z', method: 'GET' },
    expected: 'get',
  },
  { name: 'no path: * matches anything', routes: `all: * -> <shunt>;`, request: { url: '/z', method: 'DELETE' }, expected: 'all' },
  {
    name: 'no path: PathRegexp routes are tested as conditions',
    routes: `rx: PathRegexp(/^\\/api\\/v[0-9]+\\//) -> <shunt>;`,
    request: { url: '/api/v2/x' },
    expected: 'rx',
  },
  { name: 'no path: empty table matches nothing', routes: '', request: { url: '/' }, expected: null },

  // host index
  {
    name: 'host: exact-host bucket first, even over a more specific hostless path',
    routes: `h: Host(${K8S_EXAMPLE}) && PathSubtree("/") -> <shunt>; x: Path("/x") -> <shunt>;`,
    request: { host: 'example.org', url: '/x' },
    expected: 'h',
    params: { '*': '/x' },
  },
  {
    name: 'host: other hosts go to the hostless routes',
    routes: `h: Host(${K8S_EXAMPLE}) && PathSubtree("/") -> <shunt>; x: Path("/x") -> <shunt>;`,
    request: { host: 'other.org', url: '/x' },
    expected: 'x',
  },
  {
    name: 'host: no match in the host bucket falls through to hostless routes',
    routes: `h: Host(${K8S_EXAMPLE}) && Path("/a") -> <shunt>; b: Path("/b") -> <shunt>;`,
    request: { host: 'example.org', url: '/b' },
    expected: 'b',
  },
  { name: 'host: case-insensitive', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'EXAMPLE.Org' }, expected: 'h' },
  { name: 'host: any numeric port', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'example.org:8443' }, expected: 'h' },
  { name: 'host: trailing dot', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'example.org.' }, expected: 'h' },
  { name: 'host: trailing dot and port', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'example.org.:80' }, expected: 'h' },
  {
    name: 'host: a non-numeric port still fails the regexp',
    routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`,
    request: { host: 'example.org:http' },
    expected: null,
  },
  { name: 'host: empty port fails the regexp', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'example.org:' }, expected: null },
  { name: 'host: a subdomain is another host', routes: `h: Host(${K8S_EXAMPLE}) -> <shunt>;`, request: { host: 'www.example.org' }, expected: null },
  {
    name: 'host: literal without port clause rejects a port',
    routes: `h: Host(/^example\\.org$/) -> <shunt>;`,
    request: { host: 'example.org:8080' },
    expected: null,
  },
  { name: 'host: literal without port clause', routes: `h: Host(/^example\\.org$/) -> <shunt>;`, request: { host: 'example.org' }, expected: 'h' },
  {
    name: 'host: literal without dot clause rejects a trailing dot',
    routes: `h: Host(/^example\\.org$/) -> <shunt>;`,
    request: { host: 'example.org.' },
    expected: null,
  },
  {
    name: 'host: literal without port clause, in another letter case',
    routes: `h: Host(/^example\\.org$/) -> <shunt>;`,
    request: { host: 'EXAMPLE.org' },
    expected: 'h',
  },
  {
    name: 'host: literal without port clause beside a route with one',
    routes: `bare: Host(/^example[.]org$/) && Path("/a") -> <shunt>; any: Host(${K8S_EXAMPLE}) && Path("/a") -> <shunt>;`,
    request: { host: 'example.org:8080', url: '/a' },
    expected: 'any',
  },
  {
    name: 'host: literal without port clause and other conditions',
    routes: `h: Host(/^example[.]org$/) && Header("X-Tenant", "a") -> <shunt>;`,
    request: { host: 'example.org:8080', headers: { 'x-tenant': 'a' } },
    expected: null,
  },
  {
    name: 'host: literal with a fixed port',
    routes: `h: Host(/^example\\.org:8080$/) -> <shunt>;`,
    request: { host: 'example.org:8080' },
    expected: 'h',
  },
  {
    name: 'host: literal with a fixed port rejects another port',
    routes: `h: Host(/^example\\.org:8080$/) -> <shunt>;`,
    request: { host: 'example.org:9090' },
    expected: null,
  },
  {
    name: 'host: alternation of literals',
    routes: `h: Host(/^(a[.]org[.]?(:[0-9]+)?|b[.]org[.]?(:[0-9]+)?)$/) -> <shunt>;`,
    request: { host: 'b.org:81' },
    expected: 'h',
  },
  { name: 'host: HostAny compares the port', routes: `h: HostAny("example.org:8080") -> <shunt>;`, request: { host: 'example.org:8080' }, expected: 'h' },
  { name: 'host: HostAny without the port', routes: `h: HostAny("example.org:8080") -> <shunt>;`, request: { host: 'example.org' }, expected: null },
  { name: 'host: HostAny, another listed host', routes: `h: HostAny("a.org", "B.org") -> <shunt>;`, request: { host: 'b.ORG' }, expected: 'h' },
  {
    name: 'host: generic Host regexp is an ordinary condition of a hostless route',
    routes: `h: Host(/example/) -> <shunt>;`,
    request: { host: 'www.example.com' },
    expected: 'h',
  },
  { name: 'host: generic Host regexp that fails', routes: `h: Host(/example/) -> <shunt>;`, request: { host: 'foo.org' }, expected: null },
  {
    name: 'host: the other host conditions of an indexed route still hold',
    routes: `h: Host(${K8S_EXAMPLE}) && Host(/:8080$/) -> <shunt>;`,
    request: { host: 'example.org:9090' },
    expected: null,
  },

  // wildcard hosts
  {
    name: 'wildcard: exact host bucket before wildcard bucket',
    routes: `wild: Host(${WILDCARD_EXAMPLE}) && PathSubtree("/") -> <shunt>; www: Host(${K8S_WWW}) && PathSubtree("/") -> <shunt>;`,
    request: { host: 'www.example.org' },
    expected: 'www',
    params: { '*': '/' },
  },
  {
    name: 'wildcard: other labels go to the wildcard bucket',
    routes: `wild: Host(${WILDCARD_EXAMPLE}) && PathSubtree("/") -> <shunt>; www: Host(${K8S_WWW}) && PathSubtree("/") -> <shunt>;`,
    request: { host: 'API.example.org:8443', url: '/v1' },
    expected: 'wild',
    params: { '*': '/v1' },
  },
  {
    name: 'wildcard: exact bucket without a match falls to the wildcard bucket',
    routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>; www: Host(${K8S_WWW}) && Path("/only") -> <shunt>;`,
    request: { host: 'www.example.org', url: '/other' },
    expected: 'wild',
  },
  {
    name: 'wildcard: wildcard bucket before hostless routes',
    routes: `any: PathSubtree("/") -> <shunt>; wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`,
    request: { host: 'a.example.org', url: '/x' },
    expected: 'wild',
  },
  { name: 'wildcard: only one label', routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`, request: { host: 'a.b.example.org' }, expected: null },
  { name: 'wildcard: not the bare suffix', routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`, request: { host: 'example.org' }, expected: null },
  { name: 'wildcard: label with an underscore', routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`, request: { host: 'a_b.example.org' }, expected: null },
  { name: 'wildcard: label starting with a dash', routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`, request: { host: '-a.example.org' }, expected: null },
  { name: 'wildcard: label with inner dashes', routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`, request: { host: 'a-b-c.example.org.' }, expected: 'wild' },
  {
    name: 'wildcard: a non-numeric port still fails the regexp',
    routes: `wild: Host(${WILDCARD_EXAMPLE}) -> <shunt>;`,
    request: { host: 'a.example.org:x' },
    expected: null,
  },
  {
    name: 'wildcard: without port clause',
    routes: `wild: Host(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.example\\.org$/) -> <shunt>;`,
    request: { host: 'a.example.org' },
    expected: 'wild',
  },
  {
    name: 'wildcard: without port clause rejects a port',
    routes: `wild: Host(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.example\\.org$/) -> <shunt>;`,
    request: { host: 'a.example.org:8080' },
    expected: null,
  },
  {
    name: 'wildcard: without dot clause rejects a trailing dot',
    routes: `wild: Host(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.example\\.org$/) -> <shunt>;`,
    request: { host: 'a.example.org.' },
    expected: null,
  },
  {
    name: 'wildcard: in a group, as some sources write it',
    routes: `wild: Host(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?)$/) -> <shunt>;`,
    request: { host: 'x.example.org' },
    expected: 'wild',
  },

  // Traffic
  {
    name: 'traffic: sticky cookie picks its group',
    routes: `canary: Path("/t") && Traffic(0.1, "grp", "canary") -> <shunt>; main: Path("/t") -> <shunt>;`,
    request: { url: '/t', headers: { cookie: 'grp=canary' }, random: 0.99 },
    expected: 'canary',
  },
  {
    name: 'traffic: sticky cookie of another group never matches',
    routes: `canary: Path("/t") && Traffic(0.9, "grp", "canary") -> <shunt>; main: Path("/t") -> <shunt>;`,
    request: { url: '/t', headers: { cookie: 'grp=main' }, random: 0 },
    expected: 'main',
  },
  {
    name: 'traffic: Traffic(1) always matches',
    routes: `t: Path("/t") && Traffic(1) -> <shunt>; main: Path("/t") -> <shunt>;`,
    request: { url: '/t', random: 0.999 },
    expected: 't',
  },
  {
    name: 'traffic: Traffic(0) never matches',
    routes: `t: Path("/t") && Traffic(0) -> <shunt>; main: Path("/t") -> <shunt>;`,
    request: { url: '/t', random: 0 },
    expected: 'main',
  },

  // other conditions inside the tree
  {
    name: 'conditions: ClientIP on a tree route',
    routes: `internal: Path("/admin") && ClientIP("10.0.0.0/8") -> <shunt>; deny: Path("/admin") -> <shunt>;`,
    request: { url: '/admin', remoteAddress: '10.2.3.4' },
    expected: 'internal',
  },
  {
    name: 'conditions: QueryParam and Cookie',
    routes: `beta: Path("/") && QueryParam("beta") && Cookie("session", /./) -> <shunt>; main: Path("/") -> <shunt>;`,
    request: { url: '/?beta', headers: { cookie: 'session=abc' } },
    expected: 'beta',
  },
];
