/**
 * Recursive-descent parser for eskip documents, bare predicate lists and bare filter chains,
 * producing the plain RouteDefinition data. It also applies Skipper's parse-time checks
 * (one path-tree predicate, one Method, no repeated Header key, one scheme per load-balanced
 * backend, unique route ids). Errors are EskipParseError (code SKIFF_ERR_PARSE) with line/column.
 *
 * A document that is a single route expression without an id (`Path("/") -> <shunt>`) is
 * accepted, as in Skipper, and yields one route whose id is the empty string; callers that
 * need an id generate one.
 */
import type { Arg, BackendDefinition, Call, RouteDefinition } from './definition.js';
import { Lexer, TokenKind, positionOf } from './lexer.js';

const ARG_EXPECTED = 'argument (number, string or regexp) or ")"';

/** Per-route state for the parse-time predicate checks. */
interface PredicateChecks {
  pathTree: boolean;
  method: boolean;
  headers: Set<string> | undefined;
}

class Parser {
  private readonly lx: Lexer;
  /** Where each route of document() starts (its id, or its first token), when asked for. */
  readonly starts: number[] | null;

  constructor(text: string, withStarts = false) {
    this.lx = new Lexer(text);
    this.starts = withStarts ? [] : null;
    this.lx.next();
  }

  document(): RouteDefinition[] {
    const lx = this.lx;
    this.skipSemicolons();
    if (lx.kind() === TokenKind.Eof) return [];
    if (lx.kind() === TokenKind.Star) {
      this.starts?.push(lx.start);
      return this.bareRoute(undefined, 0);
    }
    if (lx.kind() !== TokenKind.Symbol) lx.expected('route id or route expression');
    const first = lx.value;
    const firstStart = lx.start;
    lx.next();
    if (lx.kind() === TokenKind.OpenParen) {
      this.starts?.push(firstStart);
      return this.bareRoute(first, firstStart);
    }
    if (lx.kind() !== TokenKind.Colon) lx.expected('":" after route id');

    const routes: RouteDefinition[] = [];
    const seen = new Map<string, number>();
    let id = first;
    let idStart = firstStart;
    for (;;) {
      // at the ':' after `id`
      const previous = seen.get(id);
      lx.context = ` (route "${id}")`;
      if (previous !== undefined) {
        const { line, column } = positionOf(lx.text, previous);
        lx.fail(idStart, `duplicate route id "${id}" (first defined at line ${line}, column ${column})`);
      }
      seen.set(id, idStart);
      lx.next();
      this.starts?.push(idStart);
      routes.push(this.routeBody(id, undefined, 0));
      lx.context = ` (after route "${id}")`;
      if (lx.kind() === TokenKind.Eof) break;
      if (lx.kind() !== TokenKind.Semicolon) lx.expected('";" or end of input');
      this.skipSemicolons();
      if (lx.kind() === TokenKind.Eof) break;
      if (lx.kind() !== TokenKind.Symbol) lx.expected('route id');
      id = lx.value;
      idStart = lx.start;
      lx.next();
      if (lx.kind() !== TokenKind.Colon) lx.expected('":" after route id');
    }
    return routes;
  }

  /** A whole document made of one route expression; `firstName` is its already-read first predicate. */
  private bareRoute(firstName: string | undefined, firstStart: number): RouteDefinition[] {
    const lx = this.lx;
    const route = this.routeBody('', firstName, firstStart);
    this.skipSemicolons();
    if (lx.kind() !== TokenKind.Eof) {
      lx.expected('end of input (a route without id must be the only route of the document)');
    }
    return [route];
  }

  predicateList(): Call[] {
    const lx = this.lx;
    const out: Call[] = [];
    if (lx.kind() === TokenKind.Eof) return out;
    for (;;) {
      this.predicate(out, undefined, 0, undefined);
      if (lx.kind() === TokenKind.Eof) return out;
      if (lx.kind() !== TokenKind.And) lx.expected('"&&" or end of input');
      lx.next();
    }
  }

  filterChain(): Call[] {
    const lx = this.lx;
    const out: Call[] = [];
    if (lx.kind() === TokenKind.Eof) return out;
    for (;;) {
      if (lx.kind() !== TokenKind.Symbol) lx.expected('filter name');
      const name = lx.value;
      lx.next();
      out.push(this.callRest(name));
      if (lx.kind() === TokenKind.Eof) return out;
      if (lx.kind() !== TokenKind.Arrow) lx.expected('"->" or end of input');
      lx.next();
    }
  }

  private skipSemicolons(): void {
    while (this.lx.kind() === TokenKind.Semicolon) this.lx.next();
  }

  /** `preds -> filters -> backend`, starting at the first predicate token (or just after its name). */
  private routeBody(id: string, firstName: string | undefined, firstStart: number): RouteDefinition {
    const lx = this.lx;
    const checks: PredicateChecks = { pathTree: false, method: false, headers: undefined };
    const predicates: Call[] = [];
    let pending = firstName;
    for (;;) {
      this.predicate(predicates, pending, firstStart, checks);
      pending = undefined;
      if (lx.kind() === TokenKind.Arrow) break;
      if (lx.kind() !== TokenKind.And) lx.expected('"->" or "&&"');
      lx.next();
    }
    lx.next();
    const filters: Call[] = [];
    while (lx.kind() === TokenKind.Symbol) {
      const name = lx.value;
      lx.next();
      filters.push(this.callRest(name));
      if (lx.kind() !== TokenKind.Arrow) lx.expected('"->"');
      lx.next();
    }
    const backend = this.backend();
    return { id, predicates, filters, backend };
  }

  /**
   * One predicate: `*` or `Name(args)`. The catch-all forms (`*`, Skipper's deprecated `Any()`)
   * add nothing, so a route of only those has an empty list.
   */
  private predicate(
    out: Call[],
    readName: string | undefined,
    readNameStart: number,
    checks: PredicateChecks | undefined,
  ): void {
    const lx = this.lx;
    let name = readName;
    let nameStart = readNameStart;
    if (name === undefined) {
      if (lx.kind() === TokenKind.Star) {
        lx.next();
        return;
      }
      if (lx.kind() !== TokenKind.Symbol) lx.expected('predicate name or "*"');
      name = lx.value;
      nameStart = lx.start;
      lx.next();
    }
    const call = this.callRest(name);
    if (name === 'Any') return;
    if (checks !== undefined) this.check(call, nameStart, checks);
    out.push(call);
  }

  private check(call: Call, at: number, checks: PredicateChecks): void {
    const lx = this.lx;
    switch (call.name) {
      case 'Path':
      case 'PathSubtree':
        if (checks.pathTree) {
          lx.fail(at, `duplicate path tree predicate: a route takes at most one Path or PathSubtree`);
        }
        checks.pathTree = true;
        break;
      case 'Method':
        if (checks.method) lx.fail(at, 'duplicate method predicate: a route takes at most one Method');
        checks.method = true;
        break;
      case 'Header': {
        const key = call.args[0];
        if (typeof key !== 'string') break;
        // header names are case-insensitive, so `Header("A", ..) && Header("a", ..)` repeats a key
        const lower = key.toLowerCase();
        checks.headers ??= new Set();
        if (checks.headers.has(lower)) lx.fail(at, `duplicate header predicate: ${JSON.stringify(key)}`);
        checks.headers.add(lower);
        break;
      }
      default:
        break;
    }
  }

  /** `(args)` after a predicate or filter name. */
  private callRest(name: string): Call {
    const lx = this.lx;
    if (lx.kind() !== TokenKind.OpenParen) lx.expected(`"(" after "${name}"`);
    lx.next();
    const args: Arg[] = [];
    if (lx.kind() === TokenKind.CloseParen) {
      lx.next();
      return { name, args };
    }
    for (;;) {
      switch (lx.kind()) {
        case TokenKind.Number:
          args.push(lx.number);
          break;
        case TokenKind.String:
          args.push(lx.value);
          break;
        case TokenKind.Regexp:
          args.push({ regexp: lx.value });
          break;
        default:
          lx.expected(args.length === 0 ? ARG_EXPECTED : 'argument (number, string or regexp)');
      }
      lx.next();
      if (lx.kind() === TokenKind.CloseParen) break;
      if (lx.kind() !== TokenKind.Comma) lx.expected('"," or ")"');
      lx.next();
    }
    lx.next();
    return { name, args };
  }

  private backend(): BackendDefinition {
    const lx = this.lx;
    let backend: BackendDefinition;
    switch (lx.kind()) {
      case TokenKind.String:
        backend = { type: 'network', address: lx.value };
        break;
      case TokenKind.Shunt:
        backend = { type: 'shunt' };
        break;
      case TokenKind.Loopback:
        backend = { type: 'loopback' };
        break;
      case TokenKind.Dynamic:
        backend = { type: 'dynamic' };
        break;
      case TokenKind.Forward:
        backend = { type: 'forward' };
        break;
      case TokenKind.OpenAngle:
        return this.lbBackend();
      default:
        return lx.expected('filter or backend');
    }
    lx.next();
    return backend;
  }

  /** `<"a", "b">` or `<algorithm, "a", "b">`; all endpoints must share one scheme. */
  private lbBackend(): BackendDefinition {
    const lx = this.lx;
    lx.next();
    let algorithm: string | undefined;
    if (lx.kind() === TokenKind.Symbol) {
      algorithm = lx.value;
      lx.next();
      if (lx.kind() !== TokenKind.Comma) lx.expected('"," after load balancing algorithm');
      lx.next();
    }
    const endpoints: string[] = [];
    let scheme: string | undefined;
    for (;;) {
      if (lx.kind() !== TokenKind.String) {
        lx.expected(algorithm === undefined && endpoints.length === 0
          ? 'load balancing algorithm or endpoint string'
          : 'endpoint string');
      }
      const s = schemeOf(lx.value);
      if (scheme === undefined) scheme = s;
      else if (s !== scheme) lx.fail(lx.start, 'loadbalancer endpoints cannot have mixed protocols');
      endpoints.push(lx.value);
      lx.next();
      if (lx.kind() === TokenKind.CloseAngle) break;
      if (lx.kind() !== TokenKind.Comma) lx.expected('"," or ">"');
      lx.next();
    }
    lx.next();
    return algorithm === undefined ? { type: 'lb', endpoints } : { type: 'lb', algorithm, endpoints };
  }
}

/** The URL scheme of an endpoint, lower-cased, or '' when it has none. */
function schemeOf(endpoint: string): string {
  const colon = endpoint.indexOf(':');
  if (colon <= 0) return '';
  for (let i = 0; i < colon; i++) {
    const c = endpoint.charCodeAt(i);
    const alpha = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
    if (!alpha && (i === 0 || !((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e))) return '';
  }
  return endpoint.slice(0, colon).toLowerCase();
}

/** Parses an eskip document: `id: route; id: route` (trailing `;` optional), or one bare route. */
export function parseRoutes(text: string): RouteDefinition[] {
  return new Parser(text).document();
}

/** A 1-based line and column (columns count Unicode code points, as in parse errors). */
export interface RoutePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * parseRoutes() and where each route starts (its id), for messages that point into the file:
 * `positions[i]` belongs to `routes[i]`. The definitions are the same as parseRoutes() gives.
 */
export function parseRoutesWithPositions(text: string): { routes: RouteDefinition[]; positions: RoutePosition[] } {
  const parser = new Parser(text, true);
  const routes = parser.document();
  return { routes, positions: positionsOf(text, parser.starts ?? []) };
}

/** Positions of ascending offsets in one pass over the text. */
function positionsOf(text: string, offsets: readonly number[]): RoutePosition[] {
  const out: RoutePosition[] = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const offset of offsets) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    at = lineStart;
    // columns count code points: a surrogate pair is one character to the reader
    let column = 1;
    for (let i = lineStart; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) i++;
      column++;
    }
    out.push({ line, column });
  }
  return out;
}

/** Parses exactly one route, with or without id. */
export function parseRoute(text: string): RouteDefinition {
  const routes = parseRoutes(text);
  const [route] = routes;
  if (route === undefined || routes.length !== 1) {
    return new Lexer(text).fail(0, `expected exactly one route, found ${routes.length}`);
  }
  return route;
}

/** Parses a bare `A() && B()` list (the skipper-predicate annotation). Empty text gives []. */
export function parsePredicates(text: string): Call[] {
  return new Parser(text).predicateList();
}

/** Parses a bare `a() -> b()` chain (the skipper-filter annotation). Empty text gives []. */
export function parseFilters(text: string): Call[] {
  return new Parser(text).filterChain();
}
