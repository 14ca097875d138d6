/**
 * Requests in flight per endpoint origin, process-wide. Survives route-table rebuilds because
 * it is keyed by origin, so powerOfRandomNChoices keeps its view when routes change.
 *
 * Each origin has one counter cell that a request takes at dispatch and keeps until its upstream
 * call ends: one map probe per request instead of a read and a write at each end.
 */
import type { Endpoint } from './backend.js';

export class InFlightCell {
  n = 0;
}

/** Cells at zero are dropped once the map holds this many (origins of pods long gone). */
const pruneFloor = 1024;

class InFlightCounter {
  private readonly cells = new Map<string, InFlightCell>();
  private pruneAt = pruneFloor;

  count(e: Endpoint): number {
    return this.cells.get(e.origin)?.n ?? 0;
  }

  /** The cell of e's origin, made on first use. The caller increments it and later decrements it. */
  cellOf(e: Endpoint): InFlightCell {
    let cell = this.cells.get(e.origin);
    if (cell === undefined) {
      if (this.cells.size >= this.pruneAt) this.prune();
      cell = new InFlightCell();
      this.cells.set(e.origin, cell);
    }
    return cell;
  }

  /** Cells in use are kept: whoever holds one has counted on it. */
  private prune(): void {
    for (const [origin, cell] of this.cells) if (cell.n === 0) this.cells.delete(origin);
    this.pruneAt = Math.max(pruneFloor, 2 * this.cells.size);
  }

  /** Number of origins with a cell (for tests). */
  get size(): number {
    return this.cells.size;
  }
}

export const inFlight = new InFlightCounter();
