/**
 * Compiles a Go (RE2) regexp as written in eskip into a JS RegExp. The common syntax is the
 * same; this translates what differs (leading `(?flags)`, `(?P<name>`, `\A`, `\z`, POSIX
 * classes, a leading `]` in a class) and refuses what JS cannot express, instead of letting it
 * silently mean something else. Build time only.
 */

export interface GoRegexp {
  readonly regexp: RegExp;
  /** Number of capturing groups. */
  readonly groupCount: number;
  readonly groupNames: ReadonlySet<string>;
}

const posixClasses: ReadonlyMap<string, string> = new Map([
  ['alnum', '0-9A-Za-z'],
  ['alpha', 'A-Za-z'],
  ['ascii', '\\x00-\\x7F'],
  ['blank', '\\t '],
  ['cntrl', '\\x00-\\x1F\\x7F'],
  ['digit', '0-9'],
  ['graph', '!-~'],
  ['lower', 'a-z'],
  ['print', ' -~'],
  ['punct', '!-\\/:-@\\[-`{-~'],
  ['space', '\\t\\n\\v\\f\\r '],
  ['upper', 'A-Z'],
  ['word', '0-9A-Za-z_'],
  ['xdigit', '0-9A-Fa-f'],
]);

const unsupportedEscapes = 'QECpP';

/**
 * Translates and compiles `source`. `globalFlag` adds `g` (replace-all). Throws an Error with
 * a readable message when the pattern is invalid or uses syntax JS has no equivalent for.
 */
export function compileGoRegexp(source: string, globalFlag = false): GoRegexp {
  let flags = globalFlag ? 'g' : '';
  let i = 0;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (lead !== null) {
    for (const f of lead[1]!) {
      if (f !== 'i' && f !== 'm' && f !== 's') throw new Error(`unsupported regexp flag (?${f})`);
      if (!flags.includes(f)) flags += f;
    }
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  let classStart = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Error('regexp ends with a lone backslash');
      if (unsupportedEscapes.includes(next)) throw new Error(`unsupported regexp escape \\${next}`);
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else out += c + next;
      i += 2;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const end = source.indexOf(':]', i + 2);
        const name = end === -1 ? undefined : source.slice(i + 2, end);
        const chars = name === undefined ? undefined : posixClasses.get(name);
        if (chars === undefined) throw new Error(`unsupported character class near "${source.slice(i)}"`);
        out += chars;
        i = end + 2;
      } else if (c === ']' && classStart) {
        // RE2 reads a `]` right after `[` or `[^` as a literal; JS would close an empty class.
        out += '\\]';
        i++;
      } else {
        if (c === ']') inClass = false;
        out += c;
        i++;
      }
      classStart = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = true;
      out += c;
      i++;
      if (source[i] === '^') {
        out += '^';
        i++;
      }
      continue;
    }
    if (c === '(' && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
      continue;
    }
    out += c;
    i++;
  }
  const regexp = new RegExp(out, flags);
  const probe = new RegExp(`${out}|`, flags.replace('g', '')).exec('');
  const groupCount = probe === null ? 0 : probe.length - 1;
  const groupNames = new Set(probe?.groups === undefined ? [] : Object.keys(probe.groups));
  return { regexp, groupCount, groupNames };
}
