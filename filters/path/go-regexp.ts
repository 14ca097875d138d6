/**
 * A Go (RE2) regexp as written in eskip, compiled for replacing (modPath and friends): the JS
 * RegExp plus what `$1`/`${name}` replacements need to know of its groups. Build time only.
 */
import { translateRe2 } from '../../src/predicates/regexp.js';
import { LinearRegExp, linearRegexp } from '../../src/predicates/linear/linear-regexp.js';

export interface GoRegexp {
  readonly regexp: RegExp;
  /** Number of capturing groups. */
  readonly groupCount: number;
  readonly groupNames: ReadonlySet<string>;
  /**
   * For an expression that could backtrack, a linear-time test to run before replacing: a text
   * it does not match (what a crafted one usually is) never meets V8's backtracking. Null when
   * the expression cannot backtrack. A text that does match is still replaced by V8, whose
   * linear-time fallback (src/predicates/regexp.ts) is then the only guard.
   */
  readonly precheck: RegExp | null;
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
  const linear = linearRegexp(out, translated.flags);
  return { regexp, groupCount, groupNames, precheck: linear instanceof LinearRegExp && linear.engine === 'dfa' ? linear : null };
}
