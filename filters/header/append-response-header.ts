/**
 * appendResponseHeader("Name", "value"): adds a value to a response header, keeping the values
 * already there (e.g. a second Set-Cookie).
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { AppendResponseHeader } from '../names.js';
import { appendField } from './header-fields.js';
import { expandHeaderValue, headerValueArgs } from './header-template.js';

class AppendResponseHeaderFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly value: Template,
  ) {}

  // hot path: one expansion, at most one small array per call.
  response(ctx: FilterContext): void {
    const response = ctx.response;
    if (response === null) return;
    const v = expandHeaderValue(this.value, ctx);
    if (v !== null) appendField(response.headers, this.name, v);
  }
}

export const appendResponseHeader: FilterSpec = {
  name: AppendResponseHeader,
  create(args: readonly Arg[]): Filter {
    const { name, value } = headerValueArgs(AppendResponseHeader, args);
    return new AppendResponseHeaderFilter(name, value);
  },
};
