/**
 * dropRequestHeader("Name"): removes a header from the outgoing request. Dropping Host leaves
 * the HTTP client to send the backend's own address.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { DropRequestHeader } from '../names.js';
import { dropField } from './header-fields.js';
import { headerNameArgs } from './header-template.js';

class DropRequestHeaderFilter implements Filter {
  constructor(private readonly name: string) {}

  // hot path: one own-property check and delete.
  request(ctx: FilterContext): void {
    dropField(ctx.outgoing.headers, this.name);
  }
}

export const dropRequestHeader: FilterSpec = {
  name: DropRequestHeader,
  create(args: readonly Arg[]): Filter {
    return new DropRequestHeaderFilter(headerNameArgs(DropRequestHeader, args));
  },
};
