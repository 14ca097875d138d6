/**
 * modRequestHeader("Name", /regexp/, "replacement") and modResponseHeader(...): replace every
 * match in a header value, as Go's ReplaceAllString does, with `$1`/`${name}` references.
 *
 * As in Skipper, the filter reads the first value of the field and sets the result as its only
 * value (further values are dropped), and does nothing when the field is absent. On the request,
 * Host is the exception: the outgoing Host (the client's, unless a filter changed it) is always
 * rewritten and set, whether or not the expression matched.
 *
 * The replacement is checked at build time like a header value (no control characters), so the
 * result, made of that text and pieces of a valid value, is always a valid value.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, regexpSourceArg, stringArg } from '../../src/args.js';
import { compileGoRegexp } from '../path/go-regexp.js';
import { firstValue, headerNameArg } from './header-args.js';
import type { HeaderRecord } from './header-fields.js';
import { isValidHeaderValue } from './header-syntax.js';
import { GoReplacer } from './go-replace-all.js';
import { ModRequestHeader, ModResponseHeader } from '../names.js';

function modArgs(filter: string, args: readonly Arg[]): { name: string; replacer: GoReplacer } {
  expectCount(filter, args, 3);
  const name = headerNameArg(filter, args, 0);
  const source = regexpSourceArg(filter, args, 1, 'the expression');
  const replacement = stringArg(filter, args, 2, 'the replacement');
  if (!isValidHeaderValue(replacement)) {
    throw invalidArgs(filter, `the replacement for ${name} holds a control character (CR, LF, NUL or similar)`);
  }
  try {
    return { name, replacer: new GoReplacer(compileGoRegexp(source, true), replacement) };
  } catch (err) {
    throw invalidArgs(filter, `/${source}/: ${(err as Error).message}`);
  }
}

/** Rewrites the first value of `name` into the only value; nothing when the field is absent. */
function modField(headers: HeaderRecord, name: string, replacer: GoReplacer): void {
  const value = firstValue(headers[name]);
  if (value !== undefined) headers[name] = replacer.replaceAll(value);
}

class ModRequestHeaderFilter implements Filter {
  private readonly isHost: boolean;

  constructor(
    private readonly name: string,
    private readonly replacer: GoReplacer,
  ) {
    this.isHost = name === 'host';
  }

  // hot path: one read, one replace, one write.
  request(ctx: FilterContext): void {
    const headers = ctx.outgoing.headers;
    if (!this.isHost) {
      modField(headers, this.name, this.replacer);
      return;
    }
    const current = firstValue(headers.host);
    const host = current === undefined || current === '' ? ctx.request.host : current;
    headers.host = this.replacer.replaceAll(host);
  }
}

class ModResponseHeaderFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly replacer: GoReplacer,
  ) {}

  // hot path: one read, one replace, one write.
  response(ctx: FilterContext): void {
    if (ctx.response !== null) modField(ctx.response.headers, this.name, this.replacer);
  }
}

export const modRequestHeader: FilterSpec = {
  name: ModRequestHeader,
  create(args: readonly Arg[]): Filter {
    const { name, replacer } = modArgs(ModRequestHeader, args);
    return new ModRequestHeaderFilter(name, replacer);
  },
};

export const modResponseHeader: FilterSpec = {
  name: ModResponseHeader,
  create(args: readonly Arg[]): Filter {
    const { name, replacer } = modArgs(ModResponseHeader, args);
    return new ModResponseHeaderFilter(name, replacer);
  },
};
