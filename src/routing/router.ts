/**
 * Router: holds the live RouteTable and swaps it atomically. A request takes the table with
 * acquire() and gives it back with release(), so it finishes on the table it started with.
 * A retired table's filters are closed as soon as its last in-flight request is released, or
 * after `graceMs` (default 60 s) if some request never comes back, whichever comes first.
 * Counting rather than a fixed delay closes quickly on idle routers and never under a running
 * request that behaves; the delay only bounds what a stuck request can hold on to.
 */
import { RouteTable } from './table.js';

export interface RouterOptions {
  /** Longest wait, in ms, for in-flight requests of a retired table. Default 60,000. */
  readonly graceMs?: number;
  /** Hears about filters whose close() throws. */
  readonly onCloseError?: (error: unknown, routeId: string) => void;
}

export const DEFAULT_GRACE_MS = 60_000;

export class Router {
  private live: RouteTable;
  private readonly graceMs: number;
  private readonly onCloseError: ((error: unknown, routeId: string) => void) | undefined;
  private readonly retiring = new Map<RouteTable, NodeJS.Timeout>();

  constructor(initial: RouteTable = RouteTable.empty(), options: RouterOptions = {}) {
    this.live = initial;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.onCloseError = options.onCloseError;
  }

  get current(): RouteTable {
    return this.live;
  }

  /** Tables swapped out whose filters are not closed yet. */
  get retiringCount(): number {
    return this.retiring.size;
  }

  /** Makes `next` the live table; the previous one retires (see above). */
  swap(next: RouteTable): void {
    const previous = this.live;
    if (next === previous) return;
    if (next.isClosed) throw new Error('cannot swap in a route table that is already closed');
    // swapping back to a table that is still retiring keeps it alive
    const timer = this.retiring.get(next);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.retiring.delete(next);
    }
    this.live = next;
    this.retire(previous);
  }

  // hot path: one increment; pair every acquire with exactly one release
  acquire(): RouteTable {
    const table = this.live;
    table.inFlight++;
    return table;
  }

  release(table: RouteTable): void {
    table.inFlight--;
    if (table.inFlight <= 0 && table !== this.live && this.retiring.has(table)) this.closeRetired(table);
  }

  /** Shutdown: closes the live table and every retiring one now. */
  close(): void {
    for (const table of [...this.retiring.keys()]) this.closeRetired(table);
    this.live.close(this.onCloseError);
  }

  private retire(table: RouteTable): void {
    if (this.retiring.has(table) || table.isClosed) return;
    if (table.inFlight <= 0) {
      table.close(this.onCloseError);
      return;
    }
    const timer = setTimeout(() => this.closeRetired(table), this.graceMs);
    timer.unref();
    this.retiring.set(table, timer);
  }

  private closeRetired(table: RouteTable): void {
    const timer = this.retiring.get(table);
    if (timer !== undefined) clearTimeout(timer);
    this.retiring.delete(table);
    table.close(this.onCloseError);
  }
}
