/**
 * One TokenVerifier per distinct JWT configuration, shared by every filter that uses it: one
 * key set to fetch and one token cache, whatever the number of routes. A route table rebuild
 * creates the new filters before the old table is retired, so the count never drops to zero in
 * between and keys and cached tokens carry over. The verifier is dropped when the last filter
 * holding it is closed.
 */
import type { JwtOptions } from './jwt-options.js';
import { verifierKey } from './jwt-options.js';
import { TokenVerifier } from './token-verifier.js';

interface Slot {
  readonly verifier: TokenVerifier;
  refs: number;
}

const slots = new Map<string, Slot>();

export interface VerifierHandle {
  readonly verifier: TokenVerifier;
  /** Idempotent: a second call does nothing. */
  release(): void;
}

export function acquireVerifier(options: JwtOptions): VerifierHandle {
  const key = verifierKey(options);
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = { verifier: new TokenVerifier(options), refs: 0 };
    slots.set(key, slot);
  }
  slot.refs++;
  const held = slot;
  let released = false;
  return {
    verifier: held.verifier,
    release() {
      if (released) return;
      released = true;
      if (--held.refs === 0 && slots.get(key) === held) {
        slots.delete(key);
        held.verifier.close();
      }
    },
  };
}

/** How many distinct configurations are live (for tests and diagnostics). */
export function sharedVerifierCount(): number {
  return slots.size;
}
