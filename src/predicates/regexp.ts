/**
 * Regexps as eskip writes them (Go RE2 syntax) compiled to JS RegExp once, at route build. The
 * common RE2-only forms are rewritten: a leading `(?i)`/`(?s)`/`(?m)` flag group, `(?P<name>`,
 * `\A`, `\z`, `\Q...\E` and POSIX classes such as `[[:alpha:]]`. Forms JS cannot express the same
 * way (`\pL`, ungreedy mode, flag groups in the middle) are refused rather than misread, and so
 * is what RE2 itself refuses and a backtracking engine would take: backreferences, lookarounds.
 *
 * RE2 runs in linear time; V8's regexps backtrack, and an expression such as `^/(a+)+$` takes
 * seconds to hours on a crafted path or Host header, with the event loop, and every request on
 * it, stopped. So every expression that can backtrack is matched by skiff's own lazy DFA
 * (src/predicates/linear/), linear in the text; only its `test` is used on requests. Two more
 * guards stay for V8's engine where it still runs (expressions that cannot backtrack, `exec` and
 * `replace` in filters and plugins):
 *   - V8 is told to finish any regexp that backtracks excessively on its linear-time engine
 *     (set below, before any route regexp exists);
 *   - that engine does not take the `i` flag or lookarounds, so the translation avoids both:
 *     case-insensitivity is spelled out (`a` → `[aA]`) and `\A`/`\z` become `^`/`$` unless
 *     `(?m)` is on. The DFA reads what the translation writes, so it needs no flag but m and s.
 */
import v8 from 'node:v8';
import { invalidArgs } from '../errors.js';
import { ProgramTooLarge, linearRegexp } from './linear/linear-regexp.js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const META = /[\\^$.|?*+()[\]{}/-]/g;

// A process-wide V8 setting: it applies to regexps compiled from here on, and only changes how
// long a pathological match takes, never its result.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** The other case of an ASCII letter, or '' for anything else. */
function otherCase(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 97 && code <= 122) return String.fromCharCode(code - 32);
  if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
  return '';
}

/** Inside a class: the other-case letters of the range lo-hi, as extra ranges. */
function otherCaseRanges(lo: number, hi: number): string {
  let extra = '';
  const [a, z] = [Math.max(lo, 97), Math.min(hi, 122)];
  if (a <= z) extra += `${String.fromCharCode(a - 32)}-${String.fromCharCode(z - 32)}`;
  const [A, Z] = [Math.max(lo, 65), Math.min(hi, 90)];
  if (A <= Z) extra += `${String.fromCharCode(A + 32)}-${String.fromCharCode(Z + 32)}`;
  return extra;
}

/**
 * Rewrites RE2 source into JS source and flags; `extraFlags` adds JS flags (Host adds `i`).
 * Throws a plain Error for unsupported syntax. The flags returned never hold `i`: ASCII letters
 * are matched in both cases by the source itself (other escaped letters, `\x41`, as written).
 */
export function translateRe2(source: string, extraFlags = ''): { source: string; flags: string } {
  let flags = '';
  for (const f of extraFlags) if (!flags.includes(f)) flags += f;
  let i = 0;
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading !== null) {
    for (const f of leading[1]!) {
      if (f === 'U') throw new Error('the ungreedy flag (?U) is not supported');
      if (!flags.includes(f)) flags += f;
    }
    i = leading[0].length;
  }
  const caseless = flags.includes('i');
  if (caseless) flags = flags.replace('i', '');
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  let classStart = -1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Error('trailing backslash');
      if (next === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        const literal = source.slice(i + 2, end === -1 ? source.length : end);
        const escaped = literal.replace(META, '\\$&');
        out += caseless ? escaped.replace(/[A-Za-z]/g, (c) => `[${c}${otherCase(c)}]`) : escaped;
        i = end === -1 ? source.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') throw new Error('Unicode classes (\\p, \\P) are not supported');
      // RE2 has no backreferences (a lone digit 1-9; more digits are an octal code in both)
      if (!inClass && next >= '1' && next <= '9' && !/[0-9]/.test(source[i + 2] ?? '')) throw new Error('backreferences are not supported');
      // without (?m), ^ and $ mean what \A and \z mean, and keep the expression linear-capable
      if (!inClass && next === 'A') out += multiline ? '(?<![\\s\\S])' : '^';
      else if (!inClass && next === 'z') out += multiline ? '(?![\\s\\S])' : '$';
      else out += c + next;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const close = source.indexOf(':]', i + 2);
        const name = close === -1 ? '' : source.slice(i + 2, close);
        const set = POSIX_CLASSES[name];
        if (set === undefined) throw new Error(`unknown or negated POSIX class [:${name}:]`);
        out += caseless && (name === 'lower' || name === 'upper') ? 'A-Za-z' : set;
        i = close + 2;
        continue;
      }
      // a ']' right after '[' or '[^' is a literal in RE2
      if (c === ']' && i > classStart) {
        inClass = false;
        out += c;
        i++;
        continue;
      }
      if (caseless) {
        const hi = source[i + 2];
        if (source[i + 1] === '-' && hi !== undefined && hi !== ']' && hi !== '\\' && hi !== '[') {
          out += `${c}-${hi}${otherCaseRanges(c.charCodeAt(0), hi.charCodeAt(0))}`;
          i += 3;
          continue;
        }
        out += c + otherCase(c);
        i++;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (source[i] === '^') {
        out += '^';
        i++;
      }
      classStart = i;
      if (source[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && (source.startsWith('(?P<', i) || (source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!'))) {
      // the group's name is copied as written, never case-folded
      const from = i + (source[i + 2] === 'P' ? 4 : 3);
      const close = source.indexOf('>', from);
      if (close === -1) throw new Error('unterminated group name');
      out += `(?<${source.slice(from, close)}>`;
      i = close + 1;
      continue;
    }
    // RE2 has no lookarounds, and V8's linear-time engine cannot run an expression holding one
    if (c === '(' && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) throw new Error('lookaround assertions are not supported');
    if (c === '(' && /^\(\?[imsU-]+[):]/.test(source.slice(i, i + 8))) {
      throw new Error('flag groups are only supported at the start of the expression');
    }
    const other = caseless ? otherCase(c) : '';
    out += other === '' ? c : `[${c}${other}]`;
    i++;
  }
  return { source: out, flags };
}

/**
 * Compiled expressions by flags and source. A table of Ingress routes repeats each host regexp
 * once per path, so sharing saves most of the compile work and memory of a big build. Sharing is
 * safe because the flags never include `g` or `y`: a RegExp without them keeps no match state.
 * Bounded: it is cleared when full, so sources that come and go cannot grow it without limit.
 */
const compiled = new Map<string, RegExp>();
const MAX_CACHED = 50_000;

/**
 * Compiles an eskip regexp for predicate or filter `name`. `flags` adds JS flags (Host adds `i`).
 * Throws InvalidArgs naming the expression when it does not compile.
 */
export function compileRegexp(name: string, source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  let regexp: RegExp;
  try {
    if (flags.includes('g') || flags.includes('y')) throw new Error('the g and y flags are not allowed');
    const translated = translateRe2(source, flags);
    regexp = linearRegexp(translated.source, translated.flags);
  } catch (e) {
    const reason = e instanceof ProgramTooLarge ? 'too large to match in linear time (RE2 allows at most 1000 repetitions)' : (e as Error).message;
    throw invalidArgs(name, `invalid regexp /${source}/: ${reason}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(key, regexp);
  return regexp;
}
