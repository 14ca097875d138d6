/**
 * queryToHeader("param", "Header") and queryToHeader("param", "Header", "format"): sets a request
 * header from the first value of a query parameter, e.g. `queryToHeader("access_token",
 * "Authorization", "Bearer %s")`. As in Skipper, nothing happens when the header already has a
 * non-empty first value, or when the parameter is absent or empty; the parameter is read from the
 * outgoing query as Go parses it (go-query.ts), and the format is Go's Sprintf (go-format.ts).
 * The query itself is left as it is.
 *
 * Unlike Skipper, a value that cannot go into a header (a parameter decoding to CR or LF, say) is
 * not set, instead of failing the request upstream; a format with control characters fails the
 * build.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { firstValue, headerNameArg, utf8Bytes } from '../header/header-args.js';
import { isValidHeaderValue } from '../header/header-syntax.js';
import { compileGoFormat, type GoFormat } from './go-format.js';
import { firstGoQueryValue } from './go-query.js';
import { QueryToHeader } from '../names.js';

class QueryToHeaderFilter implements Filter {
  constructor(
    private readonly param: string,
    private readonly header: string,
    private readonly format: GoFormat,
  ) {}

  // hot path: one header read; the query is scanned only when the header is missing.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    const current = firstValue(out.headers[this.header]);
    if (current !== undefined && current !== '') return;
    const value = firstGoQueryValue(out.query, this.param);
    if (value === '') return;
    const text = this.format.apply(value);
    if (isValidHeaderValue(text)) out.headers[this.header] = text;
  }
}

export const queryToHeader: FilterSpec = {
  name: QueryToHeader,
  create(args: readonly Arg[]): Filter {
    expectCount(QueryToHeader, args, 2, 3, '2 or 3 strings');
    const param = utf8Bytes(stringArg(QueryToHeader, args, 0, 'the query parameter'));
    const header = headerNameArg(QueryToHeader, args, 1);
    const text = args.length === 3 ? stringArg(QueryToHeader, args, 2, 'the format') : '%s';
    let format: GoFormat;
    try {
      format = compileGoFormat(text);
    } catch (err) {
      throw invalidArgs(QueryToHeader, (err as Error).message);
    }
    if (!isValidHeaderValue(format.literalText)) {
      throw invalidArgs(QueryToHeader, `the format ${JSON.stringify(text)} holds a control character (CR, LF, NUL or similar)`);
    }
    return new QueryToHeaderFilter(param, header, format);
  },
};
