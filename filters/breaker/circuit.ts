/**
 * The consecutive-failures circuit, as Skipper's consecutiveBreaker behaves: closed until
 * `failures` requests in a row fail, then open for `timeoutMs` (every request refused), then
 * half-open: up to `halfOpenRequests` trial requests go through; all succeeding closes the
 * circuit, any failing opens it again.
 */
import type { OutcomeListener } from '../../src/backend/health.js';

export interface CircuitSettings {
  readonly failures: number;
  readonly timeoutMs: number;
  readonly halfOpenRequests: number;
  readonly idleTtlMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** One admitted request: settles the circuit it came through, at most once. */
class Ticket implements OutcomeListener {
  constructor(
    private readonly circuit: Circuit,
    private readonly generation: number,
  ) {}

  settle(outcome: 'failure' | 'success' | 'none'): void {
    this.circuit.settle(this.generation, outcome);
  }
}

export class Circuit {
  private stateName: CircuitState = 'closed';
  private consecutive = 0;
  private openedAt = 0;
  private trials = 0;
  private trialSuccesses = 0;
  /** Bumped on every transition, so late outcomes of an earlier state are ignored. */
  private generation = 0;
  lastUsed: number;

  constructor(
    readonly settings: CircuitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.lastUsed = now();
  }

  get state(): CircuitState {
    if (this.stateName === 'open' && this.now() - this.openedAt >= this.settings.timeoutMs) this.transition('half-open');
    return this.stateName;
  }

  /** A ticket to report the outcome with, or null when the request must be refused. */
  admit(): OutcomeListener | null {
    this.lastUsed = this.now();
    const state = this.state;
    if (state === 'open') return null;
    if (state === 'half-open') {
      if (this.trials >= this.settings.halfOpenRequests) return null;
      this.trials++;
    }
    return new Ticket(this, this.generation);
  }

  settle(generation: number, outcome: 'failure' | 'success' | 'none'): void {
    if (generation !== this.generation) return;
    if (this.stateName === 'half-open') {
      if (outcome === 'failure') this.transition('open');
      else if (outcome === 'none') this.trials--; // the trial proved nothing: let another one try
      else if (++this.trialSuccesses >= this.settings.halfOpenRequests) this.transition('closed');
      return;
    }
    if (this.stateName !== 'closed' || outcome === 'none') return;
    if (outcome === 'success') this.consecutive = 0;
    else if (++this.consecutive >= this.settings.failures) this.transition('open');
  }

  private transition(to: CircuitState): void {
    this.stateName = to;
    this.generation++;
    this.consecutive = 0;
    this.trials = 0;
    this.trialSuccesses = 0;
    if (to === 'open') this.openedAt = this.now();
  }
}
