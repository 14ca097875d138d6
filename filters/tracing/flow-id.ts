/**
 * flowId() / flowId("reuse"): sets X-Flow-Id on the outgoing request, Skipper's format: 16
 * characters from [0-9a-zA-Z+-] (96 random bits). With "reuse", an incoming X-Flow-Id is kept
 * when it is valid (8 to 64 characters of that alphabet) and replaced otherwise. The id is also
 * stored in the state bag under FLOW_ID_STATE_KEY for later filters and the access log.
 */
import { randomFillSync } from 'node:crypto';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { invalidArgs } from '../../src/errors.js';
import { expectCount, stringArg } from '../../src/args.js';
import { FlowId } from '../names.js';

export const FLOW_ID_HEADER = 'x-flow-id';
export const FLOW_ID_STATE_KEY = 'flowId';

const validFlowId = /^[0-9a-zA-Z+-]{8,64}$/;
const ID_BYTES = 12;
// one crypto call fills ids for 256 requests
const pool = Buffer.alloc(ID_BYTES * 256);
let poolOffset = pool.length;

/** A new 16-character id. base64url of 12 bytes is exactly 16 characters of [A-Za-z0-9_-]. */
export function newFlowId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = pool.toString('base64url', poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return id.indexOf('_') === -1 ? id : id.replaceAll('_', '+');
}

export function isValidFlowId(value: string): boolean {
  return validFlowId.test(value);
}

export class FlowIdFilter implements Filter {
  constructor(readonly reuse: boolean) {}

  // hot path: one regexp test on reuse, one small string otherwise
  request(ctx: FilterContext): void {
    let id: string | undefined;
    if (this.reuse) {
      const incoming = ctx.request.headers[FLOW_ID_HEADER];
      if (typeof incoming === 'string' && isValidFlowId(incoming)) id = incoming;
    }
    id ??= newFlowId();
    ctx.outgoing.headers[FLOW_ID_HEADER] = id;
    ctx.state.set(FLOW_ID_STATE_KEY, id);
  }
}

export const flowId: FilterSpec = {
  name: FlowId,
  create(args: readonly Arg[]): Filter {
    expectCount(FlowId, args, 0, 1);
    if (args.length === 0) return new FlowIdFilter(false);
    const mode = stringArg(FlowId, args, 0, 'the mode');
    if (mode !== 'reuse') throw invalidArgs(FlowId, `the only mode is "reuse", got ${JSON.stringify(mode)}`);
    return new FlowIdFilter(true);
  },
};
