/**
 * Argument checks shared by the built-in filters. Each throws SkiffError InvalidArgs naming the
 * filter, so that a route with a bad call is set aside with a readable reason.
 */
import { invalidArgs } from '../src/errors.js';
import { isRegexpArg, type Arg } from '../src/eskip/definition.js';

/** Checks the argument count is within [min, max]. */
export function expectCount(filter: string, args: readonly Arg[], min: number, max: number = min): void {
  if (args.length >= min && args.length <= max) return;
  const wanted = min === max ? `${min}` : `${min} to ${max}`;
  throw invalidArgs(filter, `expects ${wanted} argument${max === 1 ? '' : 's'}, got ${args.length}`);
}

export function stringArg(filter: string, args: readonly Arg[], index: number, what: string): string {
  const arg = args[index];
  if (typeof arg !== 'string') throw invalidArgs(filter, `${what} must be a string, got ${describe(arg)}`);
  return arg;
}

export function numberArg(filter: string, args: readonly Arg[], index: number, what: string): number {
  const arg = args[index];
  if (typeof arg !== 'number' || !Number.isFinite(arg)) {
    throw invalidArgs(filter, `${what} must be a number, got ${describe(arg)}`);
  }
  return arg;
}

/** An integer within [min, max], e.g. an HTTP status code. */
export function integerArg(
  filter: string,
  args: readonly Arg[],
  index: number,
  what: string,
  min: number,
  max: number,
): number {
  const n = numberArg(filter, args, index, what);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArgs(filter, `${what} must be an integer from ${min} to ${max}, got ${n}`);
  }
  return n;
}

/** The source of a `/regexp/` literal or of a string holding one. */
export function regexpSourceArg(filter: string, args: readonly Arg[], index: number, what: string): string {
  const arg = args[index];
  if (arg !== undefined && isRegexpArg(arg)) return arg.regexp;
  if (typeof arg === 'string') return arg;
  throw invalidArgs(filter, `${what} must be a regexp or a string, got ${describe(arg)}`);
}

export function describe(arg: Arg | undefined): string {
  if (arg === undefined) return 'nothing';
  if (typeof arg === 'string') return JSON.stringify(arg);
  if (typeof arg === 'number') return String(arg);
  return `/${arg.regexp}/`;
}
