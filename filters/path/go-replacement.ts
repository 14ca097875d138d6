/**
 * Translates a Go replacement template (regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`)
 * into a JS replacement string with the same meaning. They differ in edge cases: Go reads
 * `$1x` as the group named `1x`, and gives '' for a group that does not exist, where JS would
 * keep the text; JS gives meaning to `$&`, `` $` `` and `$'`, which Go does not have.
 */
import type { GoRegexp } from './go-regexp.js';

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Throws an Error when a group number is beyond what a JS replacement string can address. */
export function goReplacement(template: string, re: GoRegexp): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$$';
      i += 2;
      continue;
    }
    let name: string;
    let next: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      name = close === -1 ? '' : template.slice(i + 2, close);
      next = close + 1;
      for (let k = 0; k < name.length; k++) {
        if (!isNameChar(name.charCodeAt(k))) name = '';
      }
    } else {
      let end = i + 1;
      while (end < template.length && isNameChar(template.charCodeAt(end))) end++;
      name = template.slice(i + 1, end);
      next = end;
    }
    if (name === '') {
      // Not a reference: Go writes the `$` as it is.
      out += '$$';
      i++;
      continue;
    }
    out += reference(name, re);
    i = next;
  }
  return out;
}

function reference(name: string, re: GoRegexp): string {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    if (n === 0) return '$&';
    if (n > re.groupCount) return '';
    if (n > 99) throw new Error(`group $${name} is beyond the 99 groups a replacement can name`);
    return n < 10 ? `$0${n}` : `$${n}`;
  }
  return re.groupNames.has(name) ? `$<${name}>` : '';
}
