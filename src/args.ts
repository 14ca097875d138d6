/**
 * Argument checks shared by predicate and filter specs (built-ins and plugins alike). Each
 * throws SkiffError InvalidArgs naming the predicate or filter and saying what was expected, so a
 * route set aside explains itself. Build time only.
 */
import type { Arg } from './eskip/definition.js';
import { isRegexpArg } from './eskip/definition.js';
import { invalidArgs } from './errors.js';
import { compileRegexp } from './predicates/regexp.js';
import { compileTemplate, type Template } from './templates/template.js';

export function describeArg(arg: Arg | undefined): string {
  if (arg === undefined) return 'nothing';
  if (typeof arg === 'string') return JSON.stringify(arg);
  if (typeof arg === 'number') return String(arg);
  return `/${arg.regexp}/`;
}

/** Checks the count is within [min, max]; `usage` says what is expected, e.g. `1 or 2 strings`. */
export function expectCount(name: string, args: readonly Arg[], min: number, max: number = min, usage?: string): void {
  if (args.length >= min && args.length <= max) return;
  const wanted = usage ?? `${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}`;
  throw invalidArgs(name, `expects ${wanted}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
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

export function allStringArgs(name: string, args: readonly Arg[], what: string): string[] {
  return args.map((_, i) => stringArg(name, args, i, what));
}

export function numberArg(name: string, args: readonly Arg[], index: number, what: string): number {
  const arg = args[index];
  if (typeof arg !== 'number' || !Number.isFinite(arg)) {
    throw invalidArgs(name, `${what} must be a number, got ${describeArg(arg)}`);
  }
  return arg;
}

/** An integer within [min, max], e.g. an HTTP status code. */
export function integerArg(name: string, args: readonly Arg[], index: number, what: string, min: number, max: number): number {
  const n = numberArg(name, args, index, what);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArgs(name, `${what} must be an integer from ${min} to ${max}, got ${n}`);
  }
  return n;
}

/** The source of a `/regexp/` literal or of a string holding one. */
export function regexpSourceArg(name: string, args: readonly Arg[], index: number, what: string): string {
  const arg = args[index];
  if (arg !== undefined && isRegexpArg(arg)) return arg.regexp;
  if (typeof arg === 'string') return arg;
  throw invalidArgs(name, `${what} must be a regexp or a string, got ${describeArg(arg)}`);
}

/** A regexp argument compiled with the RE2 translation (`flags` adds JS flags, e.g. `i`). */
export function regexpArg(name: string, args: readonly Arg[], index: number, what: string, flags = ''): RegExp {
  return compileRegexp(name, regexpSourceArg(name, args, index, what), flags);
}

/**
 * A string argument compiled as a template (`${request.header.X}`, path parameters); an unknown
 * `request.`/`response.` placeholder fails the build with InvalidArgs.
 */
export function templateArg(name: string, args: readonly Arg[], index: number, what: string): Template {
  const text = stringArg(name, args, index, what);
  try {
    return compileTemplate(text);
  } catch (err) {
    throw invalidArgs(name, (err as Error).message);
  }
}
