/**
 * The circuits of all breaker routes, process-wide and keyed by route id and settings, so a
 * circuit keeps its state when the route table is rebuilt (routes files and Ingresses change
 * all the time). Circuits unused for their idle TTL are dropped.
 */
import { Circuit, type CircuitSettings } from './circuit.js';

const circuits = new Map<string, Circuit>();
let sweeper: NodeJS.Timeout | null = null;

export function circuitFor(routeId: string, settings: CircuitSettings): Circuit {
  const key = `${routeId}\u0000${settings.failures}/${settings.timeoutMs}/${settings.halfOpenRequests}/${settings.idleTtlMs}`;
  let c = circuits.get(key);
  if (c === undefined) {
    c = new Circuit(settings);
    circuits.set(key, c);
    startSweeper();
  }
  return c;
}

export function circuitCount(): number {
  return circuits.size;
}

/** Drops circuits idle past their TTL; runs on its own timer, exported for tests. */
export function sweepCircuits(now = Date.now()): void {
  for (const [key, c] of circuits) if (now - c.lastUsed > c.settings.idleTtlMs) circuits.delete(key);
  if (circuits.size === 0 && sweeper !== null) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function startSweeper(): void {
  if (sweeper !== null) return;
  sweeper = setInterval(() => sweepCircuits(), 60_000);
  sweeper.unref();
}
