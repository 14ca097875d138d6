/**
 * setQuery("key", "value") sets one query parameter of the outgoing request, replacing its
 * values; setQuery("query") replaces the whole query. Both arguments may hold templates; a
 * placeholder that does not resolve becomes '' (Skipper's documented behaviour).
 *
 * With two arguments the query is rewritten as Go writes url.Values (go-query.ts): keys sorted,
 * every value escaped the Go way, and pairs Go cannot parse dropped. Key and value are written as
 * their UTF-8 bytes. With one argument the text is taken as a raw query, as in Skipper, except
 * that characters a request target cannot carry are percent-encoded (raw-query.ts).
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { expectCount, templateArg } from '../../src/args.js';
import { encodeGoQuery, parseGoQuery } from './go-query.js';
import { ByteTemplate } from './query-template.js';
import { toRawQuery } from './raw-query.js';
import { SetQuery } from '../names.js';

class SetParamFilter implements Filter {
  constructor(
    private readonly key: ByteTemplate,
    private readonly value: ByteTemplate,
  ) {}

  // hot path: one parse and one encoding of the query.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    const values = parseGoQuery(out.query);
    values.set(this.key.bytes(ctx), [this.value.bytes(ctx)]);
    out.query = encodeGoQuery(values);
  }
}

class SetRawQueryFilter implements Filter {
  private readonly constantQuery: string | undefined;

  constructor(private readonly query: Template) {
    this.constantQuery = query.constant ? toRawQuery(query.text) : undefined;
  }

  // hot path: a constant query is prepared at build time.
  request(ctx: FilterContext): void {
    ctx.outgoing.query = this.constantQuery ?? toRawQuery(this.query.expandOrEmpty(ctx));
  }
}

export const setQuery: FilterSpec = {
  name: SetQuery,
  create(args: readonly Arg[]): Filter {
    expectCount(SetQuery, args, 1, 2, '1 or 2 strings');
    if (args.length === 1) return new SetRawQueryFilter(templateArg(SetQuery, args, 0, 'the query'));
    return new SetParamFilter(
      new ByteTemplate(templateArg(SetQuery, args, 0, 'the key')),
      new ByteTemplate(templateArg(SetQuery, args, 1, 'the value')),
    );
  },
};
