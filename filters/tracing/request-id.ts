/**
 * requestId() / requestId("X-Correlation-Id"): gives the outgoing request an id header (default
 * X-Request-Id) when it has none: a random UUID v4. An id the client or a trusted proxy already
 * sent is kept, so one id follows the request across hops. Stored in the state bag under
 * REQUEST_ID_STATE_KEY either way.
 */
import { randomUUID } from 'node:crypto';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { invalidArgs } from '../../src/errors.js';
import { expectCount, stringArg } from '../../src/args.js';
import { isValidHeaderName } from '../header/header-syntax.js';
import { RequestId } from '../names.js';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_ID_STATE_KEY = 'requestId';

export class RequestIdFilter implements Filter {
  constructor(readonly header: string) {}

  // hot path: randomUUID draws from Node's pre-filled entropy cache
  request(ctx: FilterContext): void {
    const headers = ctx.outgoing.headers;
    const current = headers[this.header];
    let id: string;
    if (typeof current === 'string' && current !== '') id = current;
    else if (Array.isArray(current) && current.length > 0 && current[0] !== '') id = headers[this.header] = current[0]!;
    else id = headers[this.header] = randomUUID();
    ctx.state.set(REQUEST_ID_STATE_KEY, id);
  }
}

export const requestId: FilterSpec = {
  name: RequestId,
  create(args: readonly Arg[]): Filter {
    expectCount(RequestId, args, 0, 1);
    if (args.length === 0) return new RequestIdFilter(REQUEST_ID_HEADER);
    const name = stringArg(RequestId, args, 0, 'the header name');
    if (!isValidHeaderName(name)) throw invalidArgs(RequestId, `${JSON.stringify(name)} is not a valid header name`);
    return new RequestIdFilter(name.toLowerCase());
  },
};
