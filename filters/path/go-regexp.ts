/**
 * A Go (RE2) regexp as written in eskip, compiled for replacing (modPath and friends): the JS
 * RegExp plus what `$1`/`${name}` replacements need to know of its groups. Build time only.
 */
import { translateRe2 } from '../../src/predicates/regexp.js';

export interface GoRegexp {
  readonly regexp: RegExp;
  /** Number of capturing groups. */
  readonly groupCount: number;
  readonly groupNames: ReadonlySet<string>;
}

/**
 * Translates and compiles `source`. `globalFlag` adds `g` (replace-all). Throws an Error with
 * a readable message when the pattern is invalid or uses syntax JS has no equivalent for. The
 * RE2 translation is the one the predicates use (src/predicates/regexp.ts).
 */
export function compileGoRegexp(source: string, globalFlag = false): GoRegexp {
  const translated = translateRe2(source);
  const out = translated.source;
  const flags = globalFlag ? translated.flags + 'g' : translated.flags;
  const regexp = new RegExp(out, flags);
  const probe = new RegExp(`${out}|`, flags.replace('g', '')).exec('');
  const groupCount = probe === null ? 0 : probe.length - 1;
  const groupNames = new Set(probe?.groups === undefined ? [] : Object.keys(probe.groups));
  return { regexp, groupCount, groupNames };
}
