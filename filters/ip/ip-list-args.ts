/**
 * The arguments of the IP list filters: addresses and CIDR blocks, each argument either one
 * entry or a comma-separated list (as the nginx annotations give them). Compiled once into a
 * CidrSet when the route is built.
 */
import type { Arg } from '../../src/spec.js';
import { SkiffError, invalidArgs } from '../../src/errors.js';
import { CidrSet } from '../../src/net/cidr-set.js';
import { describeArg } from '../../src/args.js';

/** Splits comma-separated entries and drops blanks; throws InvalidArgs for a non-string. */
export function ipListEntries(filter: string, args: readonly Arg[]): string[] {
  const entries: string[] = [];
  for (const arg of args) {
    if (typeof arg !== 'string') throw invalidArgs(filter, `expects addresses or CIDR blocks as strings, got ${describeArg(arg)}`);
    for (const part of arg.split(',')) {
      const entry = part.trim();
      if (entry !== '') entries.push(entry);
    }
  }
  if (entries.length === 0) throw invalidArgs(filter, 'expects at least one address or CIDR block');
  return entries;
}

export function ipListArgs(filter: string, args: readonly Arg[]): CidrSet {
  const entries = ipListEntries(filter, args);
  try {
    return CidrSet.parse(entries);
  } catch (err) {
    if (err instanceof SkiffError) throw invalidArgs(filter, err.message);
    throw err;
  }
}
