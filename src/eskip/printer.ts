/**
 * Prints route definitions as eskip text, compact (one route per line) or pretty (each filter
 * and the backend on its own indented line, as Skipper's pretty print). The output parses back
 * to equal definitions: strings are escaped for any content, regexps keep their exact source,
 * numbers never use exponent notation. Equal definitions always print equally.
 * Definitions that have no eskip form (NaN, an empty regexp, an LB backend without endpoints)
 * throw a SkiffError instead of printing something that would parse differently.
 */
import { ErrorCode, SkiffError } from '../errors.js';
import type { Arg, BackendDefinition, Call, RouteDefinition } from './definition.js';

export interface PrintOptions {
  /** Each filter and the backend on its own line, indented by two spaces; routes blank-line separated. */
  readonly pretty?: boolean;
}

const PRETTY_SEPARATOR = '\n  -> ';
const COMPACT_SEPARATOR = ' -> ';

const STRING_NEEDS_ESCAPE = /["\\\x07\b\f\n\r\t\v]/;
const STRING_ESCAPES = /["\\\x07\b\f\n\r\t\v]/g;
const STRING_ESCAPE_TABLE: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A double-quoted eskip string; any other character (including control characters) is kept raw. */
export function printString(s: string): string {
  if (!STRING_NEEDS_ESCAPE.test(s)) return `"${s}"`;
  return `"${s.replace(STRING_ESCAPES, (c) => STRING_ESCAPE_TABLE[c] ?? c)}"`;
}

const REGEXP_NEEDS_WORK = /[\\/[]/;

/**
 * A `/.../` literal whose parse gives back `source` exactly. The eskip lexer reads `\\` as one
 * backslash and `\/` as a slash but keeps other escapes as they are, so: an escaped pair of the
 * source is written as it is unless the escaped character is `\` or `/` (then the backslash is
 * doubled too), a lone trailing backslash is doubled, and every other `/` becomes `\/`. The lexer
 * also lets a `/` inside `[...]` pass; a source whose character class never closes would swallow
 * the closing delimiter, so it has no literal form.
 */
export function printRegexp(source: string): string {
  if (source === '') {
    throw new SkiffError(ErrorCode.InvalidArgs, 'an empty regexp has no eskip literal form (`//` starts a comment)');
  }
  if (!REGEXP_NEEDS_WORK.test(source)) return `/${source}/`;
  let out = '/';
  let chunk = 0;
  let inClass = false;
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5c) {
      // backslash
      const e = i + 1 < n ? source.charCodeAt(i + 1) : -1;
      if (e === -1 || e === 0x5c || e === 0x2f) {
        out += source.slice(chunk, i) + (e === -1 ? '\\\\' : e === 0x5c ? '\\\\\\\\' : '\\\\\\/');
        chunk = i + 2;
      }
      i++;
    } else if (c === 0x2f) {
      out += source.slice(chunk, i) + '\\/';
      chunk = i + 1;
    } else if (c === 0x5b) {
      inClass = true;
    } else if (c === 0x5d) {
      inClass = false;
    }
  }
  if (inClass) {
    throw new SkiffError(
      ErrorCode.InvalidArgs,
      `regexp ${JSON.stringify(source)} has an unterminated character class and no eskip literal form`,
    );
  }
  return out + source.slice(chunk) + '/';
}

/** A number as eskip reads it back: no exponent, `-0` kept, integers without a decimal point. */
export function printNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new SkiffError(ErrorCode.InvalidArgs, `${n} has no eskip number form`);
  }
  if (Object.is(n, -0)) return '-0';
  const s = String(n);
  const e = s.indexOf('e');
  return e === -1 ? s : expandExponent(s, e);
}

/** `1.5e-7` → `0.00000015`, `1e+21` → `1000000000000000000000`; the digits are unchanged, so the value is. */
function expandExponent(s: string, e: number): string {
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  // position of the decimal point within `digits` after shifting
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  let plain: string;
  if (point <= 0) plain = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = digits.slice(0, point) + '.' + digits.slice(point);
  return negative ? '-' + plain : plain;
}

export function printArg(arg: Arg): string {
  if (typeof arg === 'string') return printString(arg);
  if (typeof arg === 'number') return printNumber(arg);
  return printRegexp(arg.regexp);
}

export function printCall(call: Call): string {
  const args = call.args;
  if (args.length === 0) return `${call.name}()`;
  let out = `${call.name}(${printArg(args[0] as Arg)}`;
  for (let i = 1; i < args.length; i++) out += ', ' + printArg(args[i] as Arg);
  return out + ')';
}

/** `A() && B()`; an empty list is the catch-all `*`. */
export function printPredicates(calls: readonly Call[]): string {
  if (calls.length === 0) return '*';
  return calls.map(printCall).join(' && ');
}

/** `a() -> b()`; an empty chain is the empty string. */
export function printFilters(calls: readonly Call[]): string {
  return calls.map(printCall).join(COMPACT_SEPARATOR);
}

export function printBackend(backend: BackendDefinition): string {
  switch (backend.type) {
    case 'network':
      return printString(backend.address);
    case 'shunt':
      return '<shunt>';
    case 'loopback':
      return '<loopback>';
    case 'dynamic':
      return '<dynamic>';
    case 'forward':
      return '<forward>';
    case 'lb': {
      if (backend.endpoints.length === 0) {
        throw new SkiffError(ErrorCode.InvalidBackend, 'a load-balanced backend needs at least one endpoint');
      }
      const endpoints = backend.endpoints.map(printString).join(', ');
      if (backend.algorithm === undefined) return `<${endpoints}>`;
      if (!SYMBOL.test(backend.algorithm)) {
        throw new SkiffError(ErrorCode.InvalidBackend, `invalid load balancing algorithm name ${JSON.stringify(backend.algorithm)}`);
      }
      return `<${backend.algorithm}, ${endpoints}>`;
    }
  }
}

/** `preds -> filters -> backend` without id or `;`. */
export function printRouteExpression(def: RouteDefinition, opts?: PrintOptions): string {
  const separator = opts?.pretty === true ? PRETTY_SEPARATOR : COMPACT_SEPARATOR;
  let out = printPredicates(def.predicates);
  for (const f of def.filters) out += separator + printCall(f);
  return out + separator + printBackend(def.backend);
}

/**
 * `id: preds -> filters -> backend;`; a route with an empty id prints as a bare expression. A
 * route its source marked as failing gets a comment line first, so that the printout does not
 * pass it off as a route that serves (eskip has no syntax for it; a parse drops the comment).
 */
export function printRoute(def: RouteDefinition, opts?: PrintOptions): string {
  const expression = printRouteExpression(def, opts);
  const route = def.id === '' ? `${expression};` : `${def.id}: ${expression};`;
  const failure = def.failure;
  if (failure === undefined) return route;
  return `// fails closed with 500, ${failure.code}: ${failure.reason.replace(/[\r\n]+/g, ' ')}\n${route}`;
}

/**
 * One route per line (pretty: blank-line separated), no trailing newline. A single route with
 * an empty id prints as a bare route; among several routes every one needs an id.
 */
export function printRoutes(defs: readonly RouteDefinition[], opts?: PrintOptions): string {
  if (defs.length === 1) return printRoute(defs[0] as RouteDefinition, opts);
  const lines: string[] = [];
  for (const def of defs) {
    if (def.id === '') {
      throw new SkiffError(ErrorCode.InvalidRoute, 'a route without id cannot be printed among other routes');
    }
    lines.push(printRoute(def, opts));
  }
  return lines.join(opts?.pretty === true ? '\n\n' : '\n');
}
