/**
 * Regexps as eskip writes them (Go RE2 syntax) compiled to JS RegExp once, at route build. The
 * common RE2-only forms are rewritten: a leading `(?i)`/`(?s)`/`(?m)` flag group, `(?P<name>`,
 * `\A`, `\z`, `\Q...\E` and POSIX classes such as `[[:alpha:]]`. Forms JS cannot express the same
 * way (`\pL`, ungreedy mode, flag groups in the middle) are refused rather than misread.
 */
import { invalidArgs } from '../errors.js';

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

/** Rewrites RE2 source into JS source and flags; throws a plain Error for unsupported syntax. */
export function translateRe2(source: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading !== null) {
    for (const f of leading[1]!) {
      if (f === 'U') throw new Error('the ungreedy flag (?U) is not supported');
      if (!flags.includes(f)) flags += f;
    }
    i = leading[0].length;
  }
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
        out += literal.replace(META, '\\$&');
        i = end === -1 ? source.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') throw new Error('Unicode classes (\\p, \\P) are not supported');
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
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
        out += set;
        i = close + 2;
        continue;
      }
      // a ']' right after '[' or '[^' is a literal in RE2
      if (c === ']' && i > classStart) inClass = false;
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
    if (c === '(' && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
      continue;
    }
    if (c === '(' && /^\(\?[imsU-]+[):]/.test(source.slice(i, i + 8))) {
      throw new Error('flag groups are only supported at the start of the expression');
    }
    out += c;
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
    const translated = translateRe2(source);
    let all = translated.flags;
    for (const f of flags) if (!all.includes(f)) all += f;
    if (all.includes('g') || all.includes('y')) throw new Error('the g and y flags are not allowed');
    regexp = new RegExp(translated.source, all);
  } catch (e) {
    throw invalidArgs(name, `invalid regexp /${source}/: ${(e as Error).message}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(key, regexp);
  return regexp;
}
