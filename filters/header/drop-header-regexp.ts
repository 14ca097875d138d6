/**
 * dropRequestHeaderRegexp("Name", /regexp/) and dropResponseHeaderRegexp("Name", /regexp/):
 * remove the values of a header that the expression matches (an unanchored search, as Go's
 * MatchString), keeping the others in order; the field goes when no value is left.
 *
 * These are the names Skipper registers. Its filter reference calls them
 * dropRequestHeaderValueRegexp / dropResponseHeaderValueRegexp, but no filter of those names
 * exists in Skipper, so skiff does not accept them either.
 *
 * As in Skipper, nothing is removed when the first value is empty (Go's Header.Get is checked
 * first). The expression is matched in linear time (src/predicates/regexp.ts), since the values
 * come from clients and backends.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, regexpArg } from '../../src/args.js';
import { headerNameArg } from './header-args.js';
import type { HeaderRecord } from './header-fields.js';
import { DropRequestHeaderRegexp, DropResponseHeaderRegexp } from '../names.js';

// hot path: one test per value; a new array only when a value of several goes.
function dropMatching(headers: HeaderRecord, name: string, re: RegExp): void {
  const current = headers[name];
  if (typeof current === 'string') {
    if (current !== '' && re.test(current)) delete headers[name];
    return;
  }
  if (!Array.isArray(current) || current.length === 0 || current[0] === '') return;
  let kept: string[] | undefined;
  for (let i = 0; i < current.length; i++) {
    const v = current[i]!;
    if (re.test(v)) kept ??= current.slice(0, i);
    else kept?.push(v);
  }
  if (kept === undefined) return;
  if (kept.length === 0) delete headers[name];
  else headers[name] = kept;
}

class DropRequestHeaderRegexpFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly re: RegExp,
  ) {}

  request(ctx: FilterContext): void {
    dropMatching(ctx.outgoing.headers, this.name, this.re);
  }
}

class DropResponseHeaderRegexpFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly re: RegExp,
  ) {}

  response(ctx: FilterContext): void {
    if (ctx.response !== null) dropMatching(ctx.response.headers, this.name, this.re);
  }
}

function dropArgs(filter: string, args: readonly Arg[]): { name: string; re: RegExp } {
  expectCount(filter, args, 2);
  return { name: headerNameArg(filter, args, 0), re: regexpArg(filter, args, 1, 'the expression') };
}

export const dropRequestHeaderRegexp: FilterSpec = {
  name: DropRequestHeaderRegexp,
  create(args: readonly Arg[]): Filter {
    const { name, re } = dropArgs(DropRequestHeaderRegexp, args);
    return new DropRequestHeaderRegexpFilter(name, re);
  },
};

export const dropResponseHeaderRegexp: FilterSpec = {
  name: DropResponseHeaderRegexp,
  create(args: readonly Arg[]): Filter {
    const { name, re } = dropArgs(DropResponseHeaderRegexp, args);
    return new DropResponseHeaderRegexpFilter(name, re);
  },
};
