/**
 * jwtClaimToHeader(config, claim, header, [claim, header]...): verifies the request's bearer
 * token and copies claims into request headers for the backend, e.g.
 *   jwtClaimToHeader("jwks=https://idp.example/keys issuer=https://idp.example audience=shop",
 *                    "sub", "X-User-Id", "org.team", "X-Team")
 * `config` is described in jwt-options.ts; claims are dotted paths (claim-path.ts); values are
 * encoded as claim-value.ts says. The target headers are removed from every request first, so
 * a client can never send them itself. A missing or invalid token (including one whose claim
 * would inject a header or exceed maxValueLength) gets 401 in mode=required (the default) and is
 * passed on without the headers in mode=optional. A claim that is absent sets no header.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { VerifiedToken } from './token-verifier.js';
import type { VerifierHandle } from './shared-verifiers.js';
import { invalidArgs } from '../../src/errors.js';
import { stringArg } from '../../src/args.js';
import { JwtClaimToHeader } from '../names.js';
import { parseJwtOptions } from './jwt-options.js';
import { acquireVerifier } from './shared-verifiers.js';
import { claimHeader, stripNames, type ClaimHeader } from './claim-headers.js';
import { resolveClaim } from './claim-path.js';
import { claimHeaderValue, REFUSED } from './claim-value.js';
import { VerifyingFilter } from './verifying-filter.js';

export class JwtClaimToHeaderFilter extends VerifyingFilter {
  /** Values of one request, filled and read within one synchronous accept(). */
  private readonly values: (string | undefined)[];

  constructor(
    handle: VerifierHandle,
    required: boolean,
    readonly pairs: readonly ClaimHeader[],
    readonly maxValueLength: number,
  ) {
    super(handle, required, stripNames(pairs.map((p) => p.header)));
    this.values = new Array<string | undefined>(pairs.length).fill(undefined);
  }

  // hot path: property reads and, for plain ASCII claims, no new strings
  protected accept(ctx: FilterContext, verified: VerifiedToken): boolean {
    const pairs = this.pairs;
    const values = this.values;
    for (let i = 0; i < pairs.length; i++) {
      const v = claimHeaderValue(resolveClaim(verified.claims, pairs[i]!.path), this.maxValueLength);
      if (v === REFUSED) return false;
      values[i] = v;
    }
    const headers = ctx.outgoing.headers;
    for (let i = 0; i < pairs.length; i++) {
      const v = values[i];
      if (v !== undefined) headers[pairs[i]!.header] = v;
      values[i] = undefined;
    }
    return true;
  }
}

export const jwtClaimToHeader: FilterSpec = {
  name: JwtClaimToHeader,
  create(args: readonly Arg[]): Filter {
    if (args.length < 3 || args.length % 2 === 0) {
      throw invalidArgs(JwtClaimToHeader, `expects a configuration and one or more claim, header pairs, got ${args.length} arguments`);
    }
    const pairs: ClaimHeader[] = [];
    for (let i = 1; i < args.length; i += 2) {
      const path = stringArg(JwtClaimToHeader, args, i, 'a claim path');
      const header = stringArg(JwtClaimToHeader, args, i + 1, 'a header name');
      let pair: ClaimHeader;
      try {
        pair = claimHeader(path, header);
      } catch (err) {
        throw invalidArgs(JwtClaimToHeader, (err as Error).message);
      }
      if (pairs.some((p) => p.header === pair.header)) throw invalidArgs(JwtClaimToHeader, `header ${header} is given twice`);
      pairs.push(pair);
    }
    const config = stringArg(JwtClaimToHeader, args, 0, 'the configuration');
    let options;
    try {
      options = parseJwtOptions(config);
    } catch (err) {
      throw invalidArgs(JwtClaimToHeader, (err as Error).message);
    }
    return new JwtClaimToHeaderFilter(acquireVerifier(options), options.required, pairs, options.maxValueLength);
  },
};
