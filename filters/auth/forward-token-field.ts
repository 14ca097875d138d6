/**
 * forwardTokenField("X-Header", "claims.sub"): copies one field of the token that a JWT filter
 * earlier in the chain verified (state bag value { claims, subject }, see token-state.ts) into
 * a request header, encoded as claim-value.ts says. Unlike Skipper's, the client's own copy of
 * the header is always removed first: without a verified token, or without the field, the
 * backend gets no such header at all.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { invalidArgs } from '../../src/errors.js';
import { expectCount, stringArg } from '../../src/args.js';
import { ForwardTokenField } from '../names.js';
import { claimHeader, stripNames, type ClaimHeader } from './claim-headers.js';
import { resolveClaim } from './claim-path.js';
import { claimHeaderValue } from './claim-value.js';
import { TOKEN_STATE_KEY } from './token-state.js';

const MAX_VALUE_LENGTH = 4096;

export class ForwardTokenFieldFilter implements Filter {
  private readonly strip: readonly string[];

  constructor(readonly pair: ClaimHeader) {
    this.strip = stripNames([pair.header]);
  }

  // hot path: property reads; no allocation for a plain ASCII value
  request(ctx: FilterContext): void {
    const headers = ctx.outgoing.headers;
    for (const name of this.strip) if (headers[name] !== undefined) delete headers[name];
    const token = ctx.state.get(TOKEN_STATE_KEY);
    if (token === undefined) return;
    const value = claimHeaderValue(resolveClaim(token, this.pair.path), MAX_VALUE_LENGTH);
    if (typeof value === 'string') headers[this.pair.header] = value;
  }
}

export const forwardTokenField: FilterSpec = {
  name: ForwardTokenField,
  create(args: readonly Arg[]): Filter {
    expectCount(ForwardTokenField, args, 2);
    const header = stringArg(ForwardTokenField, args, 0, 'the header name');
    const path = stringArg(ForwardTokenField, args, 1, 'the field path');
    try {
      return new ForwardTokenFieldFilter(claimHeader(path, header));
    } catch (err) {
      throw invalidArgs(ForwardTokenField, (err as Error).message);
    }
  },
};
