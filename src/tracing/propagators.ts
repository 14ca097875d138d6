/**
 * Builds the text-map propagator from names, as OTEL_PROPAGATORS spells them: `tracecontext`,
 * `baggage` (from @opentelemetry/core, which every SDK brings), `b3` and `b3multi` (from the
 * optional @opentelemetry/propagator-b3), `none`. A name that cannot be loaded is left out with a
 * warning instead of failing start-up.
 */
import type { TextMapPropagator } from '@opentelemetry/api';
import type { Logger } from '../log.js';
import { ErrorCode, SkiffError } from '../errors.js';

export type ModuleLoader = (specifier: string) => Promise<Record<string, unknown>>;

export const defaultPropagators: readonly string[] = ['tracecontext', 'baggage'];
const known = new Set(['tracecontext', 'baggage', 'b3', 'b3multi', 'none']);

/** Splits and checks an OTEL_PROPAGATORS value. */
export function parsePropagatorNames(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [...defaultPropagators];
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  for (const n of names) {
    if (!known.has(n)) throw new SkiffError(ErrorCode.InvalidOption, `propagator "${n}" is not one of ${[...known].join(', ')}`);
  }
  return names;
}

type Ctor = new (...args: unknown[]) => TextMapPropagator;

export async function buildPropagator(names: readonly string[], load: ModuleLoader, log: Logger): Promise<TextMapPropagator | null> {
  if (names.includes('none')) return null;
  const core = await load('@opentelemetry/core');
  const list: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') list.push(new (core.W3CTraceContextPropagator as Ctor)());
    else if (name === 'baggage') list.push(new (core.W3CBaggagePropagator as Ctor)());
    else if (name === 'b3' || name === 'b3multi') {
      let b3: Record<string, unknown>;
      try {
        b3 = await load('@opentelemetry/propagator-b3');
      } catch {
        log.warn('tracing: the b3 propagator needs @opentelemetry/propagator-b3, which is not installed; left out', { propagator: name });
        continue;
      }
      const encoding = (b3.B3InjectEncoding as Record<string, unknown>)[name === 'b3' ? 'SINGLE_HEADER' : 'MULTI_HEADER'];
      list.push(new (b3.B3Propagator as Ctor)({ injectEncoding: encoding }));
    }
  }
  if (list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  return new (core.CompositePropagator as Ctor)({ propagators: list });
}
