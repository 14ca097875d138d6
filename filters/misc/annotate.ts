/**
 * annotate("key", "value"): attaches metadata to a route definition (read by tools that print
 * or inspect routes); it does nothing to requests. Only the arguments are checked.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { Annotate } from '../names.js';

export const annotate: FilterSpec = {
  name: Annotate,
  create(args: readonly Arg[]): Filter {
    expectCount(Annotate, args, 2);
    const key = stringArg(Annotate, args, 0, 'the key');
    stringArg(Annotate, args, 1, 'the value');
    if (key === '') throw invalidArgs(Annotate, 'the key may not be empty');
    return {};
  },
};
