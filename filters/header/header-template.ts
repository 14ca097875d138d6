/**
 * The arguments of the header filters: a header name (checked and lower-cased at build time)
 * and a value template (checked at build time, expanded and checked again per request).
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, FilterContext } from '../../src/spec.js';
import { compileTemplate, type Template } from '../../src/templates/template.js';
import { expectCount, stringArg } from '../../src/args.js';
import { isValidHeaderValue } from './header-syntax.js';
import { headerNameArg } from './header-args.js';

/** Checks `(name)` and returns the lower-cased name. */
export function headerNameArgs(filter: string, args: readonly Arg[]): string {
  expectCount(filter, args, 1);
  return headerNameArg(filter, args, 0);
}

/** Checks `(name, value)`: a valid name and a value template without control characters. */
export function headerValueArgs(filter: string, args: readonly Arg[]): { name: string; value: Template } {
  expectCount(filter, args, 2);
  const name = headerNameArg(filter, args, 0);
  const text = stringArg(filter, args, 1, 'the header value');
  if (!isValidHeaderValue(text)) {
    throw invalidArgs(filter, `the value for ${name} holds a control character (CR, LF, NUL or similar)`);
  }
  try {
    return { name, value: compileTemplate(text) };
  } catch (err) {
    throw invalidArgs(filter, (err as Error).message);
  }
}

/**
 * The value to set, or null when it must not be set: a placeholder did not resolve, or a
 * resolved value brought in a character that cannot go into a header.
 * hot path: constant values are returned as they are.
 */
export function expandHeaderValue(value: Template, ctx: FilterContext): string | null {
  if (value.constant) return value.text;
  const v = value.expand(ctx);
  return v !== null && isValidHeaderValue(v) ? v : null;
}
