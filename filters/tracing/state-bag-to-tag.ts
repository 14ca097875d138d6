/**
 * stateBagToTag("key", "tag"?): tags the ingress span with the state bag's entry for `key` (tag
 * name `tag`, or the key itself), e.g. `stateBagToTag("auth-user", "client_id")` after a JWT
 * filter. As in Skipper the entry is read in the request phase, where the filter stands in the
 * chain: the filters before it have run, the ones after it have not. No tag when the bag has no
 * entry for the key. A string is used as it is; anything else is written as Skipper writes it
 * (Go's fmt.Sprint, see go-sprint.ts: `<nil>` for null and undefined, `[a b]`, `map[k:v]`).
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, nonEmptyStringArg } from '../../src/args.js';
import { goSprint } from '../header/go-sprint.js';
import { addTracingTag } from './tag-state.js';
import { StateBagToTag } from '../names.js';

export class StateBagToTagFilter implements Filter {
  constructor(
    readonly key: string,
    readonly tagName: string,
  ) {}

  // hot path: one or two map lookups; text for non-strings only.
  request(ctx: FilterContext): void {
    const state = ctx.state;
    const value = state.get(this.key);
    if (value === undefined && !state.has(this.key)) return;
    let text: string;
    try {
      text = typeof value === 'string' ? value : goSprint(value);
    } catch {
      // an object whose getter or toString throws: no tag rather than a failed request
      return;
    }
    addTracingTag(ctx, this.tagName, text);
  }
}

export const stateBagToTag: FilterSpec = {
  name: StateBagToTag,
  create(args: readonly Arg[]): Filter {
    expectCount(StateBagToTag, args, 1, 2, '1 or 2 strings (state bag key, tag name)');
    const key = nonEmptyStringArg(StateBagToTag, args, 0, 'the state bag key');
    const tag = args.length === 2 ? nonEmptyStringArg(StateBagToTag, args, 1, 'the tag name') : key;
    return new StateBagToTagFilter(key, tag);
  },
};
