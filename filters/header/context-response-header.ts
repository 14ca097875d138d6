/**
 * setContextResponseHeader("Name", "key") and appendContextResponseHeader("Name", "key"): set or
 * add a response header from the request's state bag, as it is when the response filters run.
 * When the bag has no entry for the key, the header is left as it is.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { appendField, setField } from './header-fields.js';
import { contextHeaderArgs, stateHeaderValue } from './context-value.js';
import { SetContextResponseHeader, AppendContextResponseHeader } from '../names.js';

class ContextResponseHeaderFilter implements Filter {
  constructor(
    private readonly name: string,
    private readonly key: string,
    private readonly append: boolean,
  ) {}

  // hot path: one lookup, one property write.
  response(ctx: FilterContext): void {
    const response = ctx.response;
    if (response === null) return;
    const value = stateHeaderValue(ctx, this.key);
    if (value === null) return;
    if (this.append) appendField(response.headers, this.name, value);
    else setField(response.headers, this.name, value);
  }
}

function contextSpec(filter: string, append: boolean): FilterSpec {
  return {
    name: filter,
    create(args: readonly Arg[]): Filter {
      const { name, key } = contextHeaderArgs(filter, args);
      return new ContextResponseHeaderFilter(name, key, append);
    },
  };
}

export const setContextResponseHeader: FilterSpec = contextSpec(SetContextResponseHeader, false);
export const appendContextResponseHeader: FilterSpec = contextSpec(AppendContextResponseHeader, true);
