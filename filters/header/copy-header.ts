/**
 * copyRequestHeader("Src", "Dst") and copyResponseHeader("Src", "Dst"): set Dst to the first
 * value of Src, replacing whatever Dst held. Nothing happens when Src is absent or its first
 * value is empty (Go's Header.Get gives "" for both). Copying into Host sets the Host sent
 * upstream. Skipper still registers the old names requestCopyHeader and responseCopyHeader for
 * the same filters; so does skiff.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount } from '../../src/args.js';
import { firstValue, headerNameArg } from './header-args.js';
import type { HeaderRecord } from './header-fields.js';
import { CopyRequestHeader, CopyResponseHeader, RequestCopyHeader, ResponseCopyHeader } from '../names.js';

// hot path: one read and at most one property write.
function copyField(headers: HeaderRecord, source: string, target: string): void {
  const value = firstValue(headers[source]);
  if (value !== undefined && value !== '') headers[target] = value;
}

class CopyRequestHeaderFilter implements Filter {
  constructor(
    private readonly source: string,
    private readonly target: string,
  ) {}

  request(ctx: FilterContext): void {
    copyField(ctx.outgoing.headers, this.source, this.target);
  }
}

class CopyResponseHeaderFilter implements Filter {
  constructor(
    private readonly source: string,
    private readonly target: string,
  ) {}

  response(ctx: FilterContext): void {
    if (ctx.response !== null) copyField(ctx.response.headers, this.source, this.target);
  }
}

function copySpec(name: string, Impl: typeof CopyRequestHeaderFilter | typeof CopyResponseHeaderFilter): FilterSpec {
  return {
    name,
    create(args: readonly Arg[]): Filter {
      expectCount(name, args, 2);
      return new Impl(headerNameArg(name, args, 0, 'the source header name'), headerNameArg(name, args, 1, 'the target header name'));
    },
  };
}

export const copyRequestHeader: FilterSpec = copySpec(CopyRequestHeader, CopyRequestHeaderFilter);
export const copyResponseHeader: FilterSpec = copySpec(CopyResponseHeader, CopyResponseHeaderFilter);
export const requestCopyHeader: FilterSpec = copySpec(RequestCopyHeader, CopyRequestHeaderFilter);
export const responseCopyHeader: FilterSpec = copySpec(ResponseCopyHeader, CopyResponseHeaderFilter);
