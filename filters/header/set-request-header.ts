/**
 * setRequestHeader("Name", "value"): sets a header on the outgoing request. The value may hold
 * templates; when one does not resolve, the header is left as it is. Setting Host sets the Host
 * sent upstream (outgoing.headers.host): a Host changed by a filter wins over preserveHost.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { SetRequestHeader } from '../names.js';
import { setField } from './header-fields.js';
import { expandHeaderValue, headerValueArgs } from './header-template.js';

class SetRequestHeaderFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly value: Template,
  ) {}

  // hot path: one expansion and one property write.
  request(ctx: FilterContext): void {
    const v = expandHeaderValue(this.value, ctx);
    if (v !== null) setField(ctx.outgoing.headers, this.name, v);
  }
}

export const setRequestHeader: FilterSpec = {
  name: SetRequestHeader,
  create(args: readonly Arg[]): Filter {
    const { name, value } = headerValueArgs(SetRequestHeader, args);
    return new SetRequestHeaderFilter(name, value);
  },
};
