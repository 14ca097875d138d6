/**
 * consecutiveBreaker(failures, "timeout"?, halfOpenRequests?, "idleTTL"?): Skipper's circuit
 * breaker. After `failures` requests in a row fail (the backend could not be dialled, timed out,
 * reset, or answered ≥ 500), the route answers 503 with `X-Circuit-Open: true` for `timeout`
 * (default 1m) without calling the backend; then `halfOpenRequests` (default 1) trial requests
 * decide whether it closes again. One circuit per route; it survives table rebuilds and is
 * forgotten after `idleTTL` (default 1h) without requests.
 *
 * Outcomes are learnt from the proxy's finished hook (src/backend/health.ts, `outcomeKey`), the
 * one place that sees dial errors and timeouts as well as backend statuses.
 */
import { invalidArgs } from '../../src/errors.js';
import { outcomeKey } from '../../src/backend/health.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { describeArg, expectCount, integerArg } from '../../src/args.js';
import { ConsecutiveBreaker } from '../names.js';
import { parseGoDuration } from '../timeout/duration.js';
import type { Circuit, CircuitSettings } from './circuit.js';
import { circuitFor } from './circuits.js';

const openReply = Object.freeze({
  status: 503,
  headers: Object.freeze({ 'x-circuit-open': 'true', 'content-type': 'text/plain; charset=utf-8' }),
  body: 'Service Unavailable\n',
});

class ConsecutiveBreakerFilter implements Filter {
  private circuit: Circuit | null = null;

  constructor(private readonly settings: CircuitSettings) {}

  // hot path: a map lookup on the first request only, then one admit() per request.
  request(ctx: FilterContext): void {
    const circuit = (this.circuit ??= circuitFor(ctx.routeId, this.settings));
    const ticket = circuit.admit();
    if (ticket === null) {
      ctx.serve({ status: openReply.status, headers: { ...openReply.headers }, body: openReply.body });
      return;
    }
    ctx.state.set(outcomeKey, ticket);
  }
}

function durationArg(args: readonly Arg[], index: number, what: string, fallback: number): number {
  const arg = args[index];
  if (arg === undefined) return fallback;
  const ms = typeof arg === 'number' ? arg : typeof arg === 'string' ? parseGoDuration(arg) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw invalidArgs(ConsecutiveBreaker, `${what} must be a positive duration like "30s", got ${describeArg(arg)}`);
  }
  return ms;
}

export const consecutiveBreaker: FilterSpec = {
  name: ConsecutiveBreaker,
  create(args: readonly Arg[]): Filter {
    expectCount(ConsecutiveBreaker, args, 1, 4);
    const failures = integerArg(ConsecutiveBreaker, args, 0, 'the failure count', 1, 1_000_000);
    const timeoutMs = durationArg(args, 1, 'the timeout', 60_000);
    const halfOpenRequests = args[2] === undefined ? 1 : integerArg(ConsecutiveBreaker, args, 2, 'the half-open request count', 1, 10_000);
    const idleTtlMs = durationArg(args, 3, 'the idle TTL', 3_600_000);
    return new ConsecutiveBreakerFilter({ failures, timeoutMs, halfOpenRequests, idleTtlMs });
  },
};
