/**
 * The eskip lexical rules one by one: strings and their escapes, regexps, numbers, comments,
 * whitespace and the fixed tokens.
 */
import { describe, expect, it } from 'vitest';
import { EskipParseError, Lexer, TokenKind } from '../../src/eskip/lexer.js';
import { ErrorCode } from '../../src/errors.js';

interface Tok {
  kind: TokenKind;
  value?: string;
  number?: number;
}

function lex(text: string): Tok[] {
  const lx = new Lexer(text);
  const out: Tok[] = [];
  for (lx.next(); lx.kind() !== TokenKind.Eof; lx.next()) {
    const kind = lx.kind();
    if (kind === TokenKind.Number) out.push({ kind, value: lx.value, number: lx.number });
    else if (kind === TokenKind.Symbol || kind === TokenKind.String || kind === TokenKind.Regexp) {
      out.push({ kind, value: lx.value });
    } else out.push({ kind });
  }
  return out;
}

function single(text: string): Tok {
  const toks = lex(text);
  expect(toks).toHaveLength(1);
  return toks[0] as Tok;
}

function lexError(text: string): EskipParseError {
  try {
    lex(text);
  } catch (e) {
    expect(e).toBeInstanceOf(EskipParseError);
    return e as EskipParseError;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('fixed tokens', () => {
  it('reads punctuation and operators', () => {
    expect(lex(': ; , ( ) && -> * < >').map((t) => t.kind)).toEqual([
      TokenKind.Colon,
      TokenKind.Semicolon,
      TokenKind.Comma,
      TokenKind.OpenParen,
      TokenKind.CloseParen,
      TokenKind.And,
      TokenKind.Arrow,
      TokenKind.Star,
      TokenKind.OpenAngle,
      TokenKind.CloseAngle,
    ]);
  });

  it('reads the special backends as one token each, and only without inner spaces', () => {
    expect(lex('<shunt><loopback><dynamic><forward>').map((t) => t.kind)).toEqual([
      TokenKind.Shunt,
      TokenKind.Loopback,
      TokenKind.Dynamic,
      TokenKind.Forward,
    ]);
    expect(lex('< shunt >').map((t) => t.kind)).toEqual([TokenKind.OpenAngle, TokenKind.Symbol, TokenKind.CloseAngle]);
  });

  it('needs both characters of && and ->', () => {
    expect(lexError('a & b').detail).toContain('unexpected character "&"');
    expect(lexError('a - b').detail).toContain('unexpected character "-"');
  });
});

describe('symbols', () => {
  it('are [A-Za-z_][A-Za-z0-9_]*', () => {
    expect(single('_foo_Bar9')).toEqual({ kind: TokenKind.Symbol, value: '_foo_Bar9' });
    expect(lex('foo9 _x')).toEqual([
      { kind: TokenKind.Symbol, value: 'foo9' },
      { kind: TokenKind.Symbol, value: '_x' },
    ]);
  });

  it('cannot start with a digit', () => {
    expect(lex('9ab')).toEqual([
      { kind: TokenKind.Number, value: '9', number: 9 },
      { kind: TokenKind.Symbol, value: 'ab' },
    ]);
  });

  it('stop at characters outside the set', () => {
    expect(lex('ab(cd')).toEqual([
      { kind: TokenKind.Symbol, value: 'ab' },
      { kind: TokenKind.OpenParen },
      { kind: TokenKind.Symbol, value: 'cd' },
    ]);
  });

  it('are ASCII only', () => {
    expect(lexError('é').detail).toBe('unexpected character "é"');
  });
});

describe('numbers', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['3.14', 3.14],
    ['.1', 0.1],
    ['-1', -1],
    ['-0.5', -0.5],
    ['-.5', -0.5],
    ['007', 7],
  ])('%s reads as %d', (text, value) => {
    expect(single(text)).toEqual({ kind: TokenKind.Number, value: text, number: value });
  });

  it('keeps -0 negative', () => {
    expect(Object.is(single('-0').number, -0)).toBe(true);
  });

  it('end at a second decimal point, which starts a new number', () => {
    expect(lex('1.2.3')).toEqual([
      { kind: TokenKind.Number, value: '1.2', number: 1.2 },
      { kind: TokenKind.Number, value: '.3', number: 0.3 },
    ]);
  });

  it('reject a trailing decimal point', () => {
    const err = lexError('x(1.)');
    expect(err.code).toBe(ErrorCode.Parse);
    expect(err.column).toBe(3);
    expect(err.detail).toContain('invalid number "1."');
    expect(lexError('-.').detail).toContain('invalid number "-."');
  });

  it('have no exponent: 1e5 is a number and a symbol', () => {
    expect(lex('1e5')).toEqual([
      { kind: TokenKind.Number, value: '1', number: 1 },
      { kind: TokenKind.Symbol, value: 'e5' },
    ]);
  });

  it('-> after a digit is still an arrow, and -digit is a negative number', () => {
    expect(lex('1->-2').map((t) => t.kind)).toEqual([TokenKind.Number, TokenKind.Arrow, TokenKind.Number]);
  });
});

describe('strings', () => {
  it('come in double quotes and backticks', () => {
    expect(single('"hello world"')).toEqual({ kind: TokenKind.String, value: 'hello world' });
    expect(single('`hello "world"`')).toEqual({ kind: TokenKind.String, value: 'hello "world"' });
    expect(single('""')).toEqual({ kind: TokenKind.String, value: '' });
  });

  it('decode \\a \\b \\f \\n \\r \\t \\v', () => {
    expect(single('"\\a\\b\\f\\n\\r\\t\\v"').value).toBe('\x07\b\f\n\r\t\v');
    expect(single('`\\a\\b\\f\\n\\r\\t\\v`').value).toBe('\x07\b\f\n\r\t\v');
  });

  it('decode an escaped delimiter and an escaped backslash', () => {
    expect(single('"say \\"hi\\""').value).toBe('say "hi"');
    expect(single('`a\\`b`').value).toBe('a`b');
    expect(single('"a\\\\b"').value).toBe('a\\b');
    expect(single('"\\\\"').value).toBe('\\');
  });

  it('keep the backslash of any other escape, including the other quote', () => {
    expect(single('"\\d\\x\\/"').value).toBe('\\d\\x\\/');
    expect(single('`\\"`').value).toBe('\\"');
    expect(single('"\\`"').value).toBe('\\`');
  });

  it('may span lines and hold any character raw', () => {
    expect(single('"a\nb\u2028😀"').value).toBe('a\nb\u2028😀');
  });

  it('must be terminated', () => {
    const err = lexError('x("abc');
    expect(err.detail).toBe('unterminated string literal');
    expect([err.line, err.column]).toEqual([1, 3]);
    expect(lexError('"abc\\"').detail).toBe('unterminated string literal');
    expect(lexError('`abc\\').detail).toBe('unterminated string literal');
  });
});

describe('regexps', () => {
  it('read /.../ into the source', () => {
    expect(single('/^a.b$/')).toEqual({ kind: TokenKind.Regexp, value: '^a.b$' });
  });

  it('treat \\/ as a literal slash', () => {
    expect(single('/\\/api\\//').value).toBe('/api/');
  });

  it('treat \\\\ as one backslash (as Skipper does)', () => {
    expect(single('/a\\\\b/').value).toBe('a\\b');
  });

  it('keep other escapes with their backslash', () => {
    expect(single('/\\.html\\d+\\[x\\]/').value).toBe('\\.html\\d+\\[x\\]');
  });

  it('do not end at a / inside [...]', () => {
    expect(single('/[/]+x/').value).toBe('[/]+x');
    expect(single('/a[^/]*/').value).toBe('a[^/]*');
  });

  it('close a class only at an unescaped ]', () => {
    expect(single('/[\\]/]/').value).toBe('[\\]/]');
  });

  it('must be terminated', () => {
    expect(lexError('/abc').detail).toBe('unterminated regexp literal');
    expect(lexError('/[/]').detail).toBe('unterminated regexp literal');
    expect(lexError('/ab\\/').detail).toBe('unterminated regexp literal');
  });
});

describe('comments and whitespace', () => {
  it('skip // to the end of the line', () => {
    expect(lex('// a comment\na // another ( "x"\n// last')).toEqual([{ kind: TokenKind.Symbol, value: 'a' }]);
  });

  it('a comment may close the input without a newline', () => {
    expect(lex('a //')).toEqual([{ kind: TokenKind.Symbol, value: 'a' }]);
  });

  it('skip space, \\n \\t \\v \\f \\r, NEL and NBSP', () => {
    expect(lex(' \n\t\v\f\r\u0085\u00a0a\u00a0\u0085b')).toEqual([
      { kind: TokenKind.Symbol, value: 'a' },
      { kind: TokenKind.Symbol, value: 'b' },
    ]);
  });

  it('do not treat other Unicode spaces as whitespace', () => {
    expect(lexError('a\u2003b').detail).toBe('unexpected character "\u2003"');
  });
});

describe('error positions', () => {
  it('count lines from 1 and columns in characters from 1', () => {
    const err = lexError('a\n  😀 #');
    expect(err.detail).toBe('unexpected character "😀"');
    expect([err.line, err.column, err.offset]).toEqual([2, 3, 4]);
    const after = lexError('"😀" #');
    expect([after.line, after.column]).toEqual([1, 5]);
  });

  it('put the position at the front of the message', () => {
    expect(lexError('\n\n   #').message).toBe('line 3, column 4: unexpected character "#"');
  });
});
