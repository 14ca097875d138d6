/**
 * dropResponseHeader("Name"): removes a header from the response, from the backend or from a
 * local reply.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { DropResponseHeader } from '../names.js';
import { dropField } from './header-fields.js';
import { headerNameArgs } from './header-template.js';

class DropResponseHeaderFilter implements Filter {
  constructor(private readonly name: string) {}

  // hot path: one own-property check and delete.
  response(ctx: FilterContext): void {
    if (ctx.response !== null) dropField(ctx.response.headers, this.name);
  }
}

export const dropResponseHeader: FilterSpec = {
  name: DropResponseHeader,
  create(args: readonly Arg[]): Filter {
    return new DropResponseHeaderFilter(headerNameArgs(DropResponseHeader, args));
  },
};
