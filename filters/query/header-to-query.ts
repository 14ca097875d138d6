/**
 * headerToQuery("Header", "param"): sets a query parameter of the outgoing request to the first
 * value of a request header, replacing the parameter's values. As in Skipper, an absent header
 * gives the parameter an empty value (`param=`), and the query is rewritten the way Go writes
 * url.Values (go-query.ts): keys sorted, values escaped the Go way, pairs Go cannot parse
 * dropped. The header's bytes go into the query as they are.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { firstValue, headerNameArg, utf8Bytes } from '../header/header-args.js';
import { encodeGoQuery, parseGoQuery } from './go-query.js';
import { HeaderToQuery } from '../names.js';

class HeaderToQueryFilter implements Filter {
  constructor(
    private readonly header: string,
    private readonly param: string,
  ) {}

  // hot path: one header read, one parse and one encoding of the query.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    const values = parseGoQuery(out.query);
    values.set(this.param, [firstValue(out.headers[this.header]) ?? '']);
    out.query = encodeGoQuery(values);
  }
}

export const headerToQuery: FilterSpec = {
  name: HeaderToQuery,
  create(args: readonly Arg[]): Filter {
    expectCount(HeaderToQuery, args, 2);
    const header = headerNameArg(HeaderToQuery, args, 0);
    const param = utf8Bytes(stringArg(HeaderToQuery, args, 1, 'the query parameter'));
    return new HeaderToQueryFilter(header, param);
  },
};
