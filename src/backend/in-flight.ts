/**
 * Requests in flight per endpoint origin, process-wide. Survives route-table rebuilds because
 * it is keyed by origin, so powerOfRandomNChoices keeps its view when routes change.
 */
import type { Endpoint } from './backend.js';

class InFlightCounter {
  private readonly counts = new Map<string, number>();

  count(e: Endpoint): number {
    return this.counts.get(e.origin) ?? 0;
  }

  inc(e: Endpoint): void {
    this.counts.set(e.origin, (this.counts.get(e.origin) ?? 0) + 1);
  }

  dec(e: Endpoint): void {
    const n = (this.counts.get(e.origin) ?? 1) - 1;
    if (n <= 0) this.counts.delete(e.origin);
    else this.counts.set(e.origin, n);
  }
}

export const inFlight = new InFlightCounter();
