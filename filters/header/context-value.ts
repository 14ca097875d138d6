/**
 * The arguments and the value of the context header filters (setContextRequestHeader and
 * friends): a header name and a state-bag key; the value is the bag's entry for that key written
 * as Skipper writes it (fmt.Sprint, see go-sprint.ts) and sent as its UTF-8 bytes.
 */
import type { Arg, FilterContext } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { headerNameArg, utf8Bytes } from './header-args.js';
import { isValidHeaderValue } from './header-syntax.js';
import { goSprint } from './go-sprint.js';

/** Checks `(name, key)`; the key may be any string, as in Skipper. */
export function contextHeaderArgs(filter: string, args: readonly Arg[]): { name: string; key: string } {
  expectCount(filter, args, 2);
  return { name: headerNameArg(filter, args, 0), key: stringArg(filter, args, 1, 'the state bag key') };
}

/**
 * The header value for the bag's entry at `key`, or null when there is no such entry or its text
 * cannot go into a header (CR, LF, other controls).
 * hot path: a present ASCII string costs one map lookup and one scan.
 */
export function stateHeaderValue(ctx: FilterContext, key: string): string | null {
  const state = ctx.state;
  if (!state.has(key)) return null;
  const value = utf8Bytes(goSprint(state.get(key)));
  return isValidHeaderValue(value) ? value : null;
}
