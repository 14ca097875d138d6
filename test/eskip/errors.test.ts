/**
 * Bad eskip inputs and the exact line, column and message fragment each one reports.
 */
import { describe, expect, it } from 'vitest';
import { EskipParseError } from '../../src/eskip/lexer.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { ErrorCode } from '../../src/errors.js';

const cases: Array<[input: string, line: number, column: number, fragment: string]> = [
  ['r * -> <shunt>', 1, 3, 'expected ":" after route id, found "*"'],
  ['r: -> <shunt>', 1, 4, 'expected predicate name or "*", found "->" (route "r")'],
  ['r: Path("/")', 1, 13, 'expected "->" or "&&", found end of input (route "r")'],
  ['r: Path("/") && -> <shunt>', 1, 17, 'expected predicate name or "*", found "->"'],
  ['r: Path "/" -> <shunt>', 1, 9, 'expected "(" after "Path", found string "/"'],
  ['r: Path("/" -> <shunt>', 1, 13, 'expected "," or ")", found "->"'],
  ['r: Path(, "/") -> <shunt>', 1, 9, 'expected argument (number, string or regexp) or ")", found ","'],
  ['r: Path("/",) -> <shunt>', 1, 13, 'expected argument (number, string or regexp), found ")"'],
  ['r: Path(foo) -> <shunt>', 1, 9, 'found name "foo"'],
  ['r: * ->', 1, 8, 'expected filter or backend, found end of input'],
  ['r: * -> f() <shunt>', 1, 13, 'expected "->", found "<shunt>"'],
  ['r: * -> f()', 1, 12, 'expected "->", found end of input'],
  ['r: * -> <shunt> -> f()', 1, 17, 'expected ";" or end of input, found "->" (after route "r")'],
  ['a: * -> <shunt>\nb: * -> <shunt>', 2, 1, 'expected ";" or end of input, found name "b" (after route "a")'],
  ['a: * -> <shunt>; 9: * -> <shunt>', 1, 18, 'expected route id, found number 9'],
  ['a: * -> <shunt>;\n\n  b * -> <shunt>', 3, 5, 'expected ":" after route id, found "*"'],
  ['Path("/") -> <shunt>; b: * -> <shunt>', 1, 23, 'a route without id must be the only route'],
  ['"x": * -> <shunt>', 1, 1, 'expected route id or route expression, found string "x"'],
  ['r: * -> <>', 1, 10, 'expected load balancing algorithm or endpoint string, found ">"'],
  ['r: * -> <roundRobin>', 1, 20, 'expected "," after load balancing algorithm, found ">"'],
  ['r: * -> <roundRobin, >', 1, 22, 'expected endpoint string, found ">"'],
  ['r: * -> <"http://a" "http://b">', 1, 21, 'expected "," or ">", found string "http://b"'],
  ['r: * -> <"http://a", "http://b"', 1, 32, 'expected "," or ">", found end of input'],
  ['r: * -> <"http://a", "fastcgi://b">', 1, 22, 'loadbalancer endpoints cannot have mixed protocols'],
  ['r: * -> <shunt', 1, 15, 'expected "," after load balancing algorithm, found end of input'],
  ['r: Path("/a") &&\n   Path("/b") -> <shunt>', 2, 4, 'duplicate path tree predicate'],
  ['r: Method("GET")\n&& Method("PUT") -> <shunt>', 2, 4, 'duplicate method predicate'],
  ['r: Header("a", "1") && Header("A", "2") -> <shunt>', 1, 24, 'duplicate header predicate'],
  ['x: * -> <shunt>;\r\nx: * -> <shunt>', 2, 1, 'duplicate route id "x"'],
  ['r: Foo(1.) -> <shunt>', 1, 8, 'invalid number "1."'],
  ['r: Foo("abc) -> <shunt>', 1, 8, 'unterminated string literal (route "r")'],
  ['r: Foo(/abc) -> <shunt>', 1, 8, 'unterminated regexp literal'],
  ['r: Foo() & Bar() -> <shunt>', 1, 10, 'unexpected character "&"'],
  ['r: Foo() -> #', 1, 13, 'unexpected character "#"'],
  ['// comment\nr: Foo(1 2) -> <shunt>', 2, 10, 'expected "," or ")", found number 2'],
  ['r: Foo("ü", ä) -> <shunt>', 1, 13, 'unexpected character "ä"'],
  ['r: Foo("😀😀", x) -> <shunt>', 1, 14, 'found name "x"'],
];

describe('parse errors', () => {
  it.each(cases)('%j → line %i, column %i', (input, line, column, fragment) => {
    let caught: unknown;
    try {
      parseRoutes(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EskipParseError);
    const err = caught as EskipParseError;
    expect(err.code).toBe(ErrorCode.Parse);
    expect({ line: err.line, column: err.column }).toEqual({ line, column });
    expect(err.message).toContain(fragment);
    expect(err.message.startsWith(`line ${line}, column ${column}: `)).toBe(true);
  });
});
