/**
 * setResponseHeader("Name", "value"): sets a header on the response, backend or local. The
 * value may hold templates, `${response.header.X}` included; when one does not resolve, the
 * header is left as it is.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { SetResponseHeader } from '../names.js';
import { setField } from './header-fields.js';
import { expandHeaderValue, headerValueArgs } from './header-template.js';

class SetResponseHeaderFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly value: Template,
  ) {}

  // hot path: one expansion and one property write.
  response(ctx: FilterContext): void {
    const response = ctx.response;
    if (response === null) return;
    const v = expandHeaderValue(this.value, ctx);
    if (v !== null) setField(response.headers, this.name, v);
  }
}

export const setResponseHeader: FilterSpec = {
  name: SetResponseHeader,
  create(args: readonly Arg[]): Filter {
    const { name, value } = headerValueArgs(SetResponseHeader, args);
    return new SetResponseHeaderFilter(name, value);
  },
};
