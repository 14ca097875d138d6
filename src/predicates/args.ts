/**
 * Argument checks shared by the predicate specs. Each throws a SkiffError (InvalidArgs) whose
 * message names the predicate and says what was expected, so a set-aside route explains itself.
 */
import type { Arg } from '../spec.js';
import { isRegexpArg } from '../eskip/definition.js';
import { invalidArgs } from '../errors.js';
import { compileRegexp } from './regexp.js';

export function describeArg(arg: Arg | undefined): string {
  if (arg === undefined) return 'nothing';
  if (typeof arg === 'string') return `string ${JSON.stringify(arg)}`;
  if (typeof arg === 'number') return `number ${arg}`;
  if (isRegexpArg(arg)) return `regexp /${arg.regexp}/`;
  return typeof arg;
}

export function expectCount(name: string, args: readonly Arg[], min: number, max: number, usage: string): void {
  if (args.length >= min && args.length <= max) return;
  throw invalidArgs(name, `expects ${usage}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
}

export function stringArg(name: string, args: readonly Arg[], index: number, what: string): string {
  const arg = args[index];
  if (typeof arg !== 'string') throw invalidArgs(name, `${what} must be a string, got ${describeArg(arg)}`);
  return arg;
}

export function nonEmptyStringArg(name: string, args: readonly Arg[], index: number, what: string): string {
  const value = stringArg(name, args, index, what);
  if (value === '') throw invalidArgs(name, `${what} must not be empty`);
  return value;
}

export function numberArg(name: string, args: readonly Arg[], index: number, what: string): number {
  const arg = args[index];
  if (typeof arg !== 'number' || !Number.isFinite(arg)) {
    throw invalidArgs(name, `${what} must be a number, got ${describeArg(arg)}`);
  }
  return arg;
}

/** A regexp argument: a `/regexp/` literal or a string holding the expression. */
export function regexpArg(name: string, args: readonly Arg[], index: number, what: string, flags = ''): RegExp {
  const arg = args[index];
  let source: string;
  if (typeof arg === 'string') source = arg;
  else if (arg !== undefined && isRegexpArg(arg)) source = arg.regexp;
  else throw invalidArgs(name, `${what} must be a regexp or a string, got ${describeArg(arg)}`);
  return compileRegexp(name, source, flags);
}

export function allStringArgs(name: string, args: readonly Arg[], what: string): string[] {
  return args.map((_, i) => stringArg(name, args, i, what));
}
