/**
 * appendRequestHeader("Name", "value"): adds a value to a header of the outgoing request,
 * keeping the values already there. Host has a single value, so appending to it sets it.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { AppendRequestHeader } from '../names.js';
import { appendField, setField } from './header-fields.js';
import { expandHeaderValue, headerValueArgs } from './header-template.js';

class AppendRequestHeaderFilter implements Filter {
  private readonly isHost: boolean;

  constructor(
    private readonly name: string,
    private readonly value: Template,
  ) {
    this.isHost = name === 'host';
  }

  // hot path: one expansion, at most one small array per call.
  request(ctx: FilterContext): void {
    const v = expandHeaderValue(this.value, ctx);
    if (v === null) return;
    if (this.isHost) setField(ctx.outgoing.headers, this.name, v);
    else appendField(ctx.outgoing.headers, this.name, v);
  }
}

export const appendRequestHeader: FilterSpec = {
  name: AppendRequestHeader,
  create(args: readonly Arg[]): Filter {
    const { name, value } = headerValueArgs(AppendRequestHeader, args);
    return new AppendRequestHeaderFilter(name, value);
  },
};
