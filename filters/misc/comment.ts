/**
 * comment("text"): documents a route in its definition; it does nothing to requests. Only the
 * argument is checked.
 */
import type { Arg, Filter, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { Comment } from '../names.js';

export const comment: FilterSpec = {
  name: Comment,
  create(args: readonly Arg[]): Filter {
    expectCount(Comment, args, 1);
    stringArg(Comment, args, 0, 'the comment');
    // No request or response phase: the proxy skips this filter entirely.
    return {};
  },
};
