/**
 * setContextRequestHeader("Name", "key") and appendContextRequestHeader("Name", "key"): set or
 * add a request header from the request's state bag, e.g. `setContextRequestHeader("X-Uid",
 * "auth-user")` after an auth filter. When the bag has no entry for the key, the header is left
 * as it is. Host has a single value: either filter sets the Host sent upstream.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { appendField, setField } from './header-fields.js';
import { contextHeaderArgs, stateHeaderValue } from './context-value.js';
import { SetContextRequestHeader, AppendContextRequestHeader } from '../names.js';

class ContextRequestHeaderFilter implements Filter {
  private readonly append: boolean;

  constructor(
    private readonly name: string,
    private readonly key: string,
    append: boolean,
  ) {
    this.append = append && name !== 'host';
  }

  // hot path: one lookup, one property write.
  request(ctx: FilterContext): void {
    const value = stateHeaderValue(ctx, this.key);
    if (value === null) return;
    if (this.append) appendField(ctx.outgoing.headers, this.name, value);
    else setField(ctx.outgoing.headers, this.name, value);
  }
}

function contextSpec(filter: string, append: boolean): FilterSpec {
  return {
    name: filter,
    create(args: readonly Arg[]): Filter {
      const { name, key } = contextHeaderArgs(filter, args);
      return new ContextRequestHeaderFilter(name, key, append);
    },
  };
}

export const setContextRequestHeader: FilterSpec = contextSpec(SetContextRequestHeader, false);
export const appendContextRequestHeader: FilterSpec = contextSpec(AppendContextRequestHeader, true);
