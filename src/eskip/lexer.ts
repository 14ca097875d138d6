/**
 * The eskip lexer: turns route text into tokens one at a time, on demand, and owns the
 * position-aware parse error. Lexical rules follow Skipper's eskip: `"..."`/`` `...` `` strings
 * with C-like escapes, `/.../` regexps, numbers without exponent, `//` comments.
 * It keeps the current token in plain fields (no token objects) because route files and
 * Kubernetes annotations can hold tens of thousands of routes.
 */
import { ErrorCode, SkiffError } from '../errors.js';

export const TokenKind = {
  Eof: 0,
  Symbol: 1,
  Number: 2,
  String: 3,
  Regexp: 4,
  Colon: 5,
  Semicolon: 6,
  Comma: 7,
  OpenParen: 8,
  CloseParen: 9,
  And: 10,
  Arrow: 11,
  Star: 12,
  OpenAngle: 13,
  CloseAngle: 14,
  Shunt: 15,
  Loopback: 16,
  Dynamic: 17,
  Forward: 18,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A parse failure with its 1-based line and column (columns count Unicode code points). */
export class EskipParseError extends SkiffError {
  readonly line: number;
  readonly column: number;
  /** 0-based UTF-16 offset into the parsed text. */
  readonly offset: number;
  /** The message without the `line L, column C: ` prefix. */
  readonly detail: string;

  constructor(line: number, column: number, offset: number, detail: string) {
    super(ErrorCode.Parse, `line ${line}, column ${column}: ${detail}`);
    this.name = 'EskipParseError';
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.detail = detail;
  }
}

/** Line and column of an offset; only computed when an error is raised, so it may be slow-ish. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    // a surrogate pair is one character to the reader
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    column++;
  }
  return { line, column };
}

const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const DOT = 0x2e;
const MINUS = 0x2d;

function isWhitespace(c: number): boolean {
  // space, \t \n \v \f \r, NEL, NBSP
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSymbolStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isSymbolChar(c: number): boolean {
  return isSymbolStart(c) || isDigit(c);
}

/** Fixed `<name>` backend tokens; anything else after `<` is a load-balanced backend. */
const ANGLE_BACKENDS: ReadonlyArray<readonly [string, TokenKind]> = [
  ['<shunt>', TokenKind.Shunt],
  ['<loopback>', TokenKind.Loopback],
  ['<dynamic>', TokenKind.Dynamic],
  ['<forward>', TokenKind.Forward],
];

function unescapeChar(c: number): string | undefined {
  switch (c) {
    case 0x61: return '\x07'; // a
    case 0x62: return '\b';
    case 0x66: return '\f';
    case 0x6e: return '\n';
    case 0x72: return '\r';
    case 0x74: return '\t';
    case 0x76: return '\v';
    case BACKSLASH: return '\\';
    default: return undefined;
  }
}

export class Lexer {
  readonly text: string;
  /** Appended to every error message, e.g. ` (route "foo")`; set by the parser. */
  context = '';

  private current: TokenKind = TokenKind.Eof;
  /** Offsets of the current token: [start, end). */
  start = 0;
  end = 0;
  /** Symbol name, decoded string, regexp source or number text of the current token. */
  value = '';
  /** Numeric value when kind is Number. */
  number = 0;

  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(offset: number, detail: string): never {
    const { line, column } = positionOf(this.text, offset);
    throw new EskipParseError(line, column, offset, detail + this.context);
  }

  /** Throws `expected X, found <current token>` at the current token. */
  expected(what: string): never {
    this.fail(this.start, `expected ${what}, found ${this.describe()}`);
  }

  describe(): string {
    switch (this.current) {
      case TokenKind.Eof: return 'end of input';
      case TokenKind.Symbol: return `name "${this.value}"`;
      case TokenKind.Number: return `number ${this.value}`;
      case TokenKind.String: return `string ${JSON.stringify(shorten(this.value))}`;
      case TokenKind.Regexp: return `regexp /${shorten(this.value)}/`;
      default: return JSON.stringify(this.text.slice(this.start, this.end));
    }
  }

  /** Kind of the current token (a method, so that callers re-read it after next()). */
  kind(): TokenKind {
    return this.current;
  }

  /** Advances to the next token. */
  next(): void {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    // skip whitespace and comments
    for (;;) {
      while (i < n && isWhitespace(text.charCodeAt(i))) i++;
      if (i + 1 < n && text.charCodeAt(i) === SLASH && text.charCodeAt(i + 1) === SLASH) {
        const nl = text.indexOf('\n', i + 2);
        i = nl === -1 ? n : nl + 1;
        continue;
      }
      break;
    }
    this.start = i;
    if (i >= n) {
      this.current = TokenKind.Eof;
      this.end = this.pos = n;
      return;
    }
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x3a: return this.fixed(TokenKind.Colon, i + 1); // :
      case 0x3b: return this.fixed(TokenKind.Semicolon, i + 1); // ;
      case 0x2c: return this.fixed(TokenKind.Comma, i + 1); // ,
      case 0x28: return this.fixed(TokenKind.OpenParen, i + 1); // (
      case 0x29: return this.fixed(TokenKind.CloseParen, i + 1); // )
      case 0x2a: return this.fixed(TokenKind.Star, i + 1); // *
      case 0x3e: return this.fixed(TokenKind.CloseAngle, i + 1); // >
      case 0x26: // &
        if (text.charCodeAt(i + 1) === 0x26) return this.fixed(TokenKind.And, i + 2);
        return this.fail(i, 'unexpected character "&" (did you mean "&&"?)');
      case MINUS:
        if (text.charCodeAt(i + 1) === 0x3e) return this.fixed(TokenKind.Arrow, i + 2);
        if (isDigit(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === DOT) return this.scanNumber(i);
        return this.fail(i, 'unexpected character "-" (expected "->" or a number)');
      case 0x3c: // <
        for (const [lit, kind] of ANGLE_BACKENDS) {
          if (text.startsWith(lit, i)) return this.fixed(kind, i + lit.length);
        }
        return this.fixed(TokenKind.OpenAngle, i + 1);
      case DQUOTE:
      case BACKTICK:
        return this.scanString(i, c);
      case SLASH:
        return this.scanRegexp(i);
      default:
        if (isDigit(c) || c === DOT) return this.scanNumber(i);
        if (isSymbolStart(c)) return this.scanSymbol(i);
        return this.fail(i, `unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? c))}`);
    }
  }

  private fixed(kind: TokenKind, end: number): void {
    this.current = kind;
    this.end = this.pos = end;
  }

  private scanSymbol(i: number): void {
    const text = this.text;
    let j = i + 1;
    while (j < text.length && isSymbolChar(text.charCodeAt(j))) j++;
    this.current = TokenKind.Symbol;
    this.value = text.slice(i, j);
    this.end = this.pos = j;
  }

  /** Optional `-`, digits with at most one `.`; a second `.` ends the number, a trailing one is an error. */
  private scanNumber(i: number): void {
    const text = this.text;
    let j = text.charCodeAt(i) === MINUS ? i + 1 : i;
    let dot = false;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === DOT) {
        if (dot) break;
        dot = true;
      } else if (!isDigit(c)) {
        break;
      }
    }
    const literal = text.slice(i, j);
    if (text.charCodeAt(j - 1) === DOT) {
      this.fail(i, `invalid number "${literal}": a decimal point must be followed by digits`);
    }
    this.current = TokenKind.Number;
    this.value = literal;
    this.number = Number(literal);
    this.end = this.pos = j;
  }

  private scanString(i: number, delimiter: number): void {
    const text = this.text;
    const n = text.length;
    const first = i + 1;
    // Fast path for strings without escapes. A char loop rather than indexOf('\\'): in a file
    // without backslashes indexOf would scan the rest of the document for every string.
    let j = first;
    let c = 0;
    while (j < n && (c = text.charCodeAt(j)) !== delimiter && c !== BACKSLASH) j++;
    if (j < n && c === delimiter) {
      this.current = TokenKind.String;
      this.value = text.slice(first, j);
      this.end = this.pos = j + 1;
      return;
    }
    let out = '';
    let chunk = first;
    for (; j < n; j++) {
      c = text.charCodeAt(j);
      if (c === delimiter) {
        this.current = TokenKind.String;
        this.value = out + text.slice(chunk, j);
        this.end = this.pos = j + 1;
        return;
      }
      if (c !== BACKSLASH) continue;
      if (j + 1 >= n) break;
      const e = text.charCodeAt(j + 1);
      const decoded = e === delimiter ? text[j + 1] : unescapeChar(e);
      if (decoded !== undefined) {
        out += text.slice(chunk, j) + decoded;
        chunk = j + 2;
      }
      // an unknown escape keeps its backslash: both characters stay in the chunk
      j++;
    }
    this.fail(i, 'unterminated string literal');
  }

  /**
   * `\/` is a slash, `\\` a single backslash (as in Skipper), any other escape keeps its
   * backslash; a `/` inside an unescaped `[...]` does not end the literal.
   */
  private scanRegexp(i: number): void {
    const text = this.text;
    const first = i + 1;
    let out = '';
    let chunk = first;
    let inClass = false;
    for (let j = first; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) {
        if (j + 1 >= text.length) break;
        const e = text.charCodeAt(j + 1);
        if (e === SLASH || e === BACKSLASH) {
          out += text.slice(chunk, j);
          chunk = j + 1;
        }
        j++;
      } else if (c === 0x5b) {
        inClass = true;
      } else if (c === 0x5d) {
        inClass = false;
      } else if (c === SLASH && !inClass) {
        this.current = TokenKind.Regexp;
        this.value = out + text.slice(chunk, j);
        this.end = this.pos = j + 1;
        return;
      }
    }
    this.fail(i, 'unterminated regexp literal');
  }
}

function shorten(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
