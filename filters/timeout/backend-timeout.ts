/**
 * backendTimeout("10s"): a per-route limit on the backend round trip (connect, headers and
 * body); past it the proxy answers 504. The argument is a Go duration, or a number of ms.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { describeArg, expectCount } from '../../src/args.js';
import { BackendTimeout } from '../names.js';
import { parseGoDuration } from './duration.js';

// Timers take a signed 32-bit millisecond count; beyond it Node fires at once.
const maxTimeoutMs = 2_147_483_647;

class BackendTimeoutFilter implements Filter {
  constructor(private readonly ms: number) {}

  // hot path: one property write.
  request(ctx: FilterContext): void {
    ctx.outgoing.timeoutMs = this.ms;
  }
}

export const backendTimeout: FilterSpec = {
  name: BackendTimeout,
  create(args: readonly Arg[]): Filter {
    expectCount(BackendTimeout, args, 1);
    const arg = args[0];
    const ms = typeof arg === 'number' ? arg : typeof arg === 'string' ? parseGoDuration(arg) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) {
      throw invalidArgs(BackendTimeout, `expects a duration like "10s" or a number of ms, got ${describeArg(arg)}`);
    }
    if (ms <= 0) throw invalidArgs(BackendTimeout, `the timeout must be positive, got ${describeArg(arg)}`);
    if (ms > maxTimeoutMs) throw invalidArgs(BackendTimeout, `the timeout is too long: ${describeArg(arg)}`);
    // Whole milliseconds: timers and AbortSignal.timeout() want integers.
    return new BackendTimeoutFilter(Math.ceil(ms));
  },
};
