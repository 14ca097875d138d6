/** The arguments the rate-limit filters share, read as Skipper reads them. */
import { describeArg } from '../../src/args.js';
import { invalidArgs } from '../../src/errors.js';
import type { Arg } from '../../src/spec.js';
import { parseGoDuration } from '../timeout/duration.js';

/** A whole number of hits; Skipper truncates a fraction, and 0 or less refuses every request. */
export function maxHitsArg(name: string, args: readonly Arg[], index: number): number {
  const arg = args[index];
  if (typeof arg !== 'number' || !Number.isFinite(arg)) throw invalidArgs(name, `the number of requests must be a number, got ${describeArg(arg)}`);
  const hits = Math.trunc(arg);
  if (hits > 1_000_000) throw invalidArgs(name, `at most 1000000 requests per window, got ${hits}`);
  return hits;
}

/** A Go duration string, or a number of seconds. */
export function windowArg(name: string, args: readonly Arg[], index: number): number {
  const arg = args[index];
  const ms = typeof arg === 'number' ? arg * 1000 : typeof arg === 'string' ? parseGoDuration(arg) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw invalidArgs(name, `the time window must be a positive duration like "1m", got ${describeArg(arg)}`);
  return ms;
}
