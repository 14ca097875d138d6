/**
 * Fetches of the JWT filters' remote key sets (JWKS URLs and OpenID discovery), read from the
 * process-wide counts at every scrape. A failed fetch keeps the keys in use, so requests go on
 * being served; the counter is how an operator learns that key rotation will not be picked up,
 * or that a router that never had keys refuses every token.
 */
import { Counter, type Registry } from 'prom-client';
import { keySetCounts, type KeySetCount } from '../../filters/auth/key-set-counts.js';

export function createJwksMetrics(registry: Registry, read: () => ReadonlyMap<string, Readonly<KeySetCount>> = keySetCounts): void {
  const registers = [registry];
  /** Last cumulative value seen per key set and counter: a counter only takes the increase. */
  const seen = new Map<string, number>();
  const add = (counter: Counter<'key_set'>, keySet: string, field: keyof KeySetCount, value: number): void => {
    const key = `${field}\0${keySet}`;
    const last = seen.get(key);
    seen.set(key, value);
    // a series from 0 on, so that rate() and increase() see the first error
    if (last === undefined || value > last) counter.inc({ key_set: keySet }, value - (last ?? 0));
  };
  const pull = (): void => {
    for (const [keySet, c] of read()) {
      add(fetches, keySet, 'fetches', c.fetches);
      add(errors, keySet, 'errors', c.errors);
    }
  };
  const fetches: Counter<'key_set'> = new Counter({ name: 'skiff_jwks_fetches_total', help: 'Fetches of a JWT key set (JWKS or OpenID discovery), by key set.', labelNames: ['key_set'], registers, collect: pull });
  const errors: Counter<'key_set'> = new Counter({
    name: 'skiff_jwks_fetch_errors_total',
    help: 'Fetches of a JWT key set that gave no usable key (the keys in use stay), by key set.',
    labelNames: ['key_set'],
    registers,
    collect: pull,
  });
}
