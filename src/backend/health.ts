/**
 * Passive health of endpoints, learnt from the outcome of real requests (no probes): an endpoint
 * that fails `ejectAfterFailures` times in a row is ejected from its load balancers for a while,
 * then readmitted. Each ejection in a row doubles the time, up to ten times the first. The state
 * is process-wide and keyed by origin, like the in-flight counts, so it survives table rebuilds.
 * Balancers never leave a backend without endpoints: see src/backend/balancer.ts.
 */
import type { Endpoint } from './backend.js';

/**
 * What passive health reads of a finished request. The proxy's ExchangeRecord has all of it;
 * the backend layer names only these fields, so that it does not depend on the proxy above it.
 */
export interface RequestOutcome {
  readonly endpoint: Endpoint | null;
  /** Why skiff answered with an error itself ('dial', 'timeout', …); '' otherwise. */
  readonly failure: string;
  readonly status: number;
  readonly filterState: ReadonlyMap<string, unknown> | undefined;
}

export interface HealthPolicy {
  readonly ejectAfterFailures: number;
  readonly ejectionMs: number;
  readonly maxEjectedRatio: number;
}

interface EndpointState {
  failures: number;
  /** Ejections in a row; reset by a success after readmission. */
  ejections: number;
  /** Ejected until this time (ms since epoch), 0 when admitted. */
  until: number;
  lastEvent: number;
  timer: NodeJS.Timeout | null;
}

/** Local failures that say the endpoint did not serve the request. */
const failureReasons = new Set(['dial', 'timeout', 'network', 'response']);

/**
 * How a finished request speaks of its endpoint: a failure (the backend could not be reached,
 * timed out, sent garbage, or answered ≥ 500), a success, or nothing (no backend was called, or
 * the client left first).
 */
export function outcomeOf(record: RequestOutcome): 'failure' | 'success' | 'none' {
  if (record.endpoint === null) return 'none';
  const failure = record.failure;
  if (failure !== '') return failureReasons.has(failure) ? 'failure' : 'none';
  if (record.status >= 500) return 'failure';
  return record.status === 499 || record.status === 0 ? 'none' : 'success';
}

export class EndpointHealth {
  /** Bumped on every ejection and readmission: balancers recompute their live set when it moves. */
  version = 0;
  /** Share of one backend's endpoints that may be out at once (at least one, never all). */
  maxEjectedRatio = 0.3;
  private readonly states = new Map<string, EndpointState>();
  private sweeper: NodeJS.Timeout | null = null;

  isEjected(origin: string): boolean {
    const s = this.states.get(origin);
    return s !== undefined && s.until !== 0;
  }

  ejectedCount(): number {
    let n = 0;
    for (const s of this.states.values()) if (s.until !== 0) n++;
    return n;
  }

  recordSuccess(origin: string): void {
    // hot path: with every endpoint healthy there is nothing to forget
    if (this.states.size === 0) return;
    const s = this.states.get(origin);
    if (s === undefined || s.until !== 0) return;
    // A clean success after readmission forgets the history.
    this.states.delete(origin);
  }

  recordFailure(origin: string, policy: HealthPolicy): void {
    if (!(policy.ejectAfterFailures > 0)) return;
    const now = Date.now();
    let s = this.states.get(origin);
    if (s === undefined) {
      s = { failures: 0, ejections: 0, until: 0, lastEvent: now, timer: null };
      this.states.set(origin, s);
      this.startSweeper(policy.ejectionMs);
    }
    s.lastEvent = now;
    if (s.until !== 0) return;
    if (++s.failures < policy.ejectAfterFailures) return;
    const ms = Math.min(policy.ejectionMs * 2 ** s.ejections, policy.ejectionMs * 10);
    s.failures = 0;
    s.ejections++;
    s.until = now + ms;
    s.timer = setTimeout(() => this.readmit(origin), ms);
    s.timer.unref();
    this.version++;
  }

  /** Ends an ejection now (time is up, or an operator asked). */
  readmit(origin: string): void {
    const s = this.states.get(origin);
    if (s === undefined || s.until === 0) return;
    if (s.timer !== null) clearTimeout(s.timer);
    s.timer = null;
    s.until = 0;
    s.lastEvent = Date.now();
    this.version++;
  }

  /** Forgets every endpoint (tests, or a full reset). */
  clear(): void {
    for (const s of this.states.values()) if (s.timer !== null) clearTimeout(s.timer);
    const hadEjections = this.ejectedCount() > 0;
    this.states.clear();
    if (hadEjections) this.version++;
  }

  /** Endpoints that come and go would otherwise leave their failure counts behind for ever. */
  private startSweeper(ejectionMs: number): void {
    if (this.sweeper !== null) return;
    const maxIdle = Math.max(ejectionMs * 20, 60_000);
    this.sweeper = setInterval(() => {
      const cutoff = Date.now() - maxIdle;
      for (const [origin, s] of this.states) if (s.until === 0 && s.lastEvent < cutoff) this.states.delete(origin);
      if (this.states.size === 0 && this.sweeper !== null) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, Math.min(maxIdle, 60_000));
    this.sweeper.unref();
  }
}

export const endpointHealth = new EndpointHealth();

/**
 * What a filter puts into the per-request state bag under `outcomeKey` to learn how the request
 * ended (the circuit breaker does). Called once, from the proxy's finished hook.
 */
export interface OutcomeListener {
  settle(outcome: 'failure' | 'success' | 'none', record: RequestOutcome): void;
}

export const outcomeKey = 'skiff.outcome';

/** The observer hook that feeds passive health and outcome listeners. */
export function outcomeObserver(policy: HealthPolicy): (record: RequestOutcome) => void {
  endpointHealth.maxEjectedRatio = policy.maxEjectedRatio;
  return (record: RequestOutcome): void => {
    const listener = record.filterState?.get(outcomeKey) as OutcomeListener | undefined;
    if (record.endpoint === null && listener === undefined) return;
    const outcome = outcomeOf(record);
    if (record.endpoint !== null) {
      if (outcome === 'failure') endpointHealth.recordFailure(record.endpoint.origin, policy);
      else if (outcome === 'success') endpointHealth.recordSuccess(record.endpoint.origin);
    }
    listener?.settle(outcome, record);
  };
}
