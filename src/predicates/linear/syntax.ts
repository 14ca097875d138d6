/**
 * Reads the JS regexp source that src/predicates/regexp.ts makes of an eskip (RE2) expression
 * into a tree the linear-time matcher compiles. It reads JS's own syntax (non-Unicode mode, with
 * the web-compatibility rules of Annex B), so that the matcher answers exactly what the RegExp
 * would. Whatever cannot be matched without backtracking (backreferences, lookarounds other than
 * the two text-boundary forms the translation writes) is reported as unsupported, never guessed.
 */

/** Code-unit sets are sorted, disjoint, inclusive [lo, hi] pairs. */
export type Ranges = number[];

export type Assertion = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

export type RegexpNode =
  | { readonly type: 'set'; readonly ranges: Ranges }
  | { readonly type: 'concat'; readonly items: RegexpNode[] }
  | { readonly type: 'alternate'; readonly items: RegexpNode[] }
  | { readonly type: 'repeat'; readonly item: RegexpNode; readonly min: number; readonly max: number }
  | { readonly type: 'assert'; readonly kind: Assertion }
  | { readonly type: 'empty' };

/** Thrown for an expression the linear-time matcher cannot run; the caller decides what then. */
export class UnsupportedSyntax extends Error {}

const MAX_UNIT = 0xffff;
/** How the translation writes \A and \z under (?m). */
const BEGIN_TEXT = '(?<![\\s\\S])';
const END_TEXT = '(?![\\s\\S])';
const MAX_DEPTH = 500;

export const DIGIT: Ranges = [48, 57];
export const WORD: Ranges = [48, 57, 65, 90, 95, 95, 97, 122];
/** JS's \s: WhiteSpace and LineTerminator. */
const SPACE: Ranges = [9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff];
export const LINE_TERMINATORS: Ranges = [10, 10, 13, 13, 0x2028, 0x2029];
const ANY: Ranges = [0, MAX_UNIT];
const NOT_LINE_TERMINATORS: Ranges = negate(LINE_TERMINATORS);

/** Sorts and merges pairs into canonical ranges. */
export function normalize(pairs: Ranges): Ranges {
  const list: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) list.push([pairs[i]!, pairs[i + 1]!]);
  list.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of list) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function negate(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! > next) out.push(next, ranges[i]! - 1);
    next = ranges[i + 1]! + 1;
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT);
  return out;
}

/** Parses `source` as `new RegExp(source, flags)` would; flags may hold only `m` and `s`. */
export function parseRegexp(source: string, flags: string): RegexpNode {
  for (const f of flags) if (f !== 'm' && f !== 's') throw new UnsupportedSyntax(`flag ${f}`);
  return new Parser(source, flags.includes('m'), flags.includes('s')).parse();
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly groups: number;

  constructor(
    private readonly src: string,
    private readonly multiline: boolean,
    private readonly dotAll: boolean,
  ) {
    this.groups = countCapturingGroups(src);
  }

  parse(): RegexpNode {
    const node = this.alternation();
    if (this.i !== this.src.length) throw new UnsupportedSyntax(`unexpected ${this.src[this.i]}`);
    return node;
  }

  private alternation(): RegexpNode {
    const items = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { type: 'alternate', items };
  }

  private sequence(): RegexpNode {
    const items: RegexpNode[] = [];
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === '|' || c === ')') break;
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]! : { type: 'concat', items };
  }

  private quantified(atom: RegexpNode): RegexpNode {
    const src = this.src;
    let min: number;
    let max: number;
    const c = src[this.i];
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      // Annex B: a brace that does not form {n}, {n,} or {n,m} is a literal, read as an atom
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.i, this.i + 24));
      if (m === null) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (src[this.i] === '?') this.i++; // lazy or greedy: the same for "is there a match"
    return { type: 'repeat', item: atom, min, max };
  }

  private atom(): RegexpNode {
    const src = this.src;
    const c = src[this.i]!;
    switch (c) {
      case '^':
        this.i++;
        return { type: 'assert', kind: this.multiline ? 'beginLine' : 'beginText' };
      case '$':
        this.i++;
        return { type: 'assert', kind: this.multiline ? 'endLine' : 'endText' };
      case '.':
        this.i++;
        return { type: 'set', ranges: this.dotAll ? ANY : NOT_LINE_TERMINATORS };
      case '(':
        return this.group();
      case '[':
        return { type: 'set', ranges: this.characterClass() };
      case '\\':
        return this.escape();
      default:
        this.i++;
        return literal(c.charCodeAt(0));
    }
  }

  private group(): RegexpNode {
    const src = this.src;
    // the translation writes \A and \z under (?m) as these two lookarounds, and no others
    if (src.startsWith(BEGIN_TEXT, this.i)) {
      this.i += BEGIN_TEXT.length;
      return { type: 'assert', kind: 'beginText' };
    }
    if (src.startsWith(END_TEXT, this.i)) {
      this.i += END_TEXT.length;
      return { type: 'assert', kind: 'endText' };
    }
    if (src.startsWith('(?:', this.i)) this.i += 3;
    else if (src.startsWith('(?<', this.i) && src[this.i + 3] !== '=' && src[this.i + 3] !== '!') {
      const close = src.indexOf('>', this.i);
      if (close === -1) throw new UnsupportedSyntax('group name');
      this.i = close + 1;
    } else if (src[this.i + 1] === '?') throw new UnsupportedSyntax('lookaround');
    else this.i++;
    if (++this.depth > MAX_DEPTH) throw new UnsupportedSyntax('nesting');
    const inner = this.alternation();
    this.depth--;
    if (src[this.i] !== ')') throw new UnsupportedSyntax('unclosed group');
    this.i++;
    return inner;
  }

  /** Outside a class. */
  private escape(): RegexpNode {
    const src = this.src;
    const c = src[this.i + 1];
    if (c === undefined) throw new UnsupportedSyntax('trailing backslash');
    if (c === 'b' || c === 'B') {
      this.i += 2;
      return { type: 'assert', kind: c === 'b' ? 'wordBoundary' : 'notWordBoundary' };
    }
    if (c >= '1' && c <= '9') {
      const digits = /^\d+/.exec(src.slice(this.i + 1))![0];
      if (Number(digits) <= this.groups) throw new UnsupportedSyntax('backreference');
    }
    if (c === 'k' && /\(\?<[^=!]/.test(src)) throw new UnsupportedSyntax('named backreference');
    this.i++;
    const set = this.escapeBody(false);
    return { type: 'set', ranges: set };
  }

  /**
   * After the backslash (this.i at the escaped character); returns the set it stands for and
   * moves past it. `inClass`: \b is a backspace there, and \- is allowed.
   */
  private escapeBody(inClass: boolean): Ranges {
    const src = this.src;
    const c = src[this.i]!;
    this.i++;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return negate(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      case 't':
        return unit(9);
      case 'n':
        return unit(10);
      case 'v':
        return unit(11);
      case 'f':
        return unit(12);
      case 'r':
        return unit(13);
      case 'b':
        if (inClass) return unit(8);
        break;
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(src.slice(this.i, this.i + 2));
        if (m === null) return unit(120); // Annex B: \x without two hex digits is "x"
        this.i += 2;
        return unit(parseInt(m[0], 16));
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(src.slice(this.i, this.i + 4));
        if (m === null) return unit(117);
        this.i += 4;
        return unit(parseInt(m[0], 16));
      }
      case 'c': {
        const next = src.charCodeAt(this.i);
        const letter = (next >= 65 && next <= 90) || (next >= 97 && next <= 122);
        // Annex B: inside a class, digits and _ after \c are control characters too
        if (letter || (inClass && ((next >= 48 && next <= 57) || next === 95))) {
          this.i++;
          return unit(next % 32);
        }
        this.i--; // Annex B: "\c" not followed by a letter is a backslash and a "c"
        return unit(92);
      }
      default:
        break;
    }
    const code = c.charCodeAt(0);
    if (code >= 48 && code <= 55) return unit(this.legacyOctal(code - 48));
    return unit(code);
  }

  /** Annex B LegacyOctalEscapeSequence; the first digit is already read. */
  private legacyOctal(first: number): number {
    let value = first;
    const more = first <= 3 ? 2 : 1;
    for (let k = 0; k < more; k++) {
      const d = this.src.charCodeAt(this.i);
      if (d < 48 || d > 55) break;
      value = value * 8 + (d - 48);
      this.i++;
    }
    return value;
  }

  /**
   * Classes repeat across expressions (the translation writes every letter of a caseless
   * expression as `[aA]`; 10,000 Ingress host regexps hold a few dozen distinct classes), so
   * their sets are cached by their source text.
   */
  private characterClass(): Ranges {
    const start = this.i;
    const end = classEnd(this.src, start);
    const text = end === -1 ? null : this.src.slice(start, end + 1);
    if (text !== null) {
      const known = classCache.get(text);
      if (known !== undefined) {
        this.i = end + 1;
        return known;
      }
    }
    const set = this.parseClass();
    if (text !== null && this.i === end + 1) {
      if (classCache.size >= MAX_CACHED_CLASSES) classCache.clear();
      classCache.set(text, Object.freeze(set) as Ranges);
    }
    return set;
  }

  private parseClass(): Ranges {
    const src = this.src;
    this.i++;
    let negated = false;
    if (src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const pairs: Ranges = [];
    while (src[this.i] !== ']') {
      if (this.i >= src.length) throw new UnsupportedSyntax('unclosed class');
      const lo = this.classAtom();
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && this.i + 1 < src.length) {
        this.i++;
        const hi = this.classAtom();
        if (isUnit(lo) && isUnit(hi)) {
          pairs.push(lo[0]!, hi[0]!);
          continue;
        }
        // Annex B: a range with a class escape at either end is the two sets and a "-"
        pairs.push(...lo, ...hi, 45, 45);
        continue;
      }
      pairs.push(...lo);
    }
    this.i++;
    const set = normalize(pairs);
    return negated ? negate(set) : set;
  }

  private classAtom(): Ranges {
    const c = this.src[this.i]!;
    if (c !== '\\') {
      this.i++;
      return unit(c.charCodeAt(0));
    }
    this.i++;
    const next = this.src[this.i];
    if (next === undefined) throw new UnsupportedSyntax('trailing backslash');
    if (next === '8' || next === '9') {
      this.i++;
      return unit(next.charCodeAt(0));
    }
    return this.escapeBody(true);
  }
}

const classCache = new Map<string, Ranges>();
const MAX_CACHED_CLASSES = 10_000;

/** Index of the `]` closing the class opened at `start`, or -1: the first unescaped one. */
function classEnd(src: string, start: number): number {
  for (let i = start + 1; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 /* \\ */) i++;
    else if (c === 93 /* ] */) return i;
  }
  return -1;
}

function unit(code: number): Ranges {
  return [code, code];
}

function isUnit(r: Ranges): boolean {
  return r.length === 2 && r[0] === r[1];
}

function literal(code: number): RegexpNode {
  return { type: 'set', ranges: unit(code) };
}

/** Capturing groups: what decides whether `\12` is a backreference or an octal code. */
function countCapturingGroups(src: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (src[i + 1] !== '?' || (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!'))) n++;
  }
  return n;
}
