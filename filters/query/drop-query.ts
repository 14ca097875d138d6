/**
 * dropQuery("key"): removes every value of a query parameter from the outgoing request. The key
 * may hold templates; a placeholder that does not resolve becomes ''.
 *
 * As in Skipper, the query is then rewritten the way Go writes url.Values (go-query.ts), even
 * when the key was not there: keys sorted, values escaped the Go way, and pairs Go cannot parse
 * dropped. A query left empty is removed with its `?`.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, templateArg } from '../../src/args.js';
import { encodeGoQuery, parseGoQuery } from './go-query.js';
import { ByteTemplate } from './query-template.js';
import { DropQuery } from '../names.js';

class DropQueryFilter implements Filter {
  constructor(private readonly key: ByteTemplate) {}

  // hot path: one parse and one encoding of the query; nothing at all without a query.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    if (out.query === '') return;
    const values = parseGoQuery(out.query);
    values.delete(this.key.bytes(ctx));
    out.query = encodeGoQuery(values);
  }
}

export const dropQuery: FilterSpec = {
  name: DropQuery,
  create(args: readonly Arg[]): Filter {
    expectCount(DropQuery, args, 1);
    return new DropQueryFilter(new ByteTemplate(templateArg(DropQuery, args, 0, 'the key')));
  },
};
