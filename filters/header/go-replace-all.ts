/**
 * Go's Regexp.ReplaceAllString for the header filters. The replacement template is translated by
 * goReplacement (filters/path) and split once into literal and group parts; the matches are
 * walked by hand, because Go and JS differ in one case: Go does not replace an empty match that
 * directly follows another match (`b*` on "abc" with "X" gives "XaXcX" in Go, "XaXXcX" in JS).
 */
import type { GoRegexp } from '../path/go-regexp.js';
import { goReplacement } from '../path/go-replacement.js';

/** A part of a compiled replacement: literal text, a group number, or a group name. */
type Part = string | number | { readonly name: string };

export class GoReplacer {
  private readonly parts: readonly Part[];

  /** `re.regexp` must carry the `g` flag. Throws Error when the template cannot be translated. */
  constructor(
    private readonly re: GoRegexp,
    template: string,
  ) {
    if (!re.regexp.global) throw new Error('GoReplacer needs a global regexp');
    this.parts = splitReplacement(goReplacement(template, re));
  }

  // hot path: one exec per match; the shared regexp's lastIndex is reset on every call, and the
  // call is synchronous, so one instance serves every request.
  replaceAll(s: string): string {
    if (this.re.precheck !== null && !this.re.precheck.test(s)) return s;
    const re = this.re.regexp;
    re.lastIndex = 0;
    let out = '';
    let lastEnd = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      // An empty match right where the previous match ended is skipped, as in Go.
      if (end > lastEnd || start === 0) out += s.slice(lastEnd, start) + this.expand(m);
      lastEnd = end;
      if (start === end) {
        if (end >= s.length) break;
        re.lastIndex = end + 1;
      }
    }
    return out + s.slice(lastEnd);
  }

  private expand(m: RegExpExecArray): string {
    let out = '';
    for (const part of this.parts) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += m[part] ?? '';
      else out += m.groups?.[part.name] ?? '';
    }
    return out;
  }
}

/**
 * Splits the JS replacement string goReplacement writes, which only ever holds `$$`, `$&`,
 * two-digit `$NN` and `$<name>` references besides literal text.
 */
function splitReplacement(js: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < js.length) {
    const c = js[i]!;
    if (c !== '$' || i + 1 >= js.length) {
      literal += c;
      i++;
      continue;
    }
    const next = js[i + 1]!;
    let ref: Part | undefined;
    let width = 2;
    if (next === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    if (next === '&') {
      ref = 0;
    } else if (next === '<') {
      const close = js.indexOf('>', i + 2);
      if (close !== -1) {
        ref = { name: js.slice(i + 2, close) };
        width = close + 1 - i;
      }
    } else if (/^[0-9]{2}$/.test(js.slice(i + 1, i + 3))) {
      ref = Number(js.slice(i + 1, i + 3));
      width = 3;
    }
    if (ref === undefined) {
      literal += c;
      i++;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(ref);
    i += width;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}
