/**
 * The request flow the JWT filters share: strip the headers the filter owns, take the bearer
 * token, verify it (from the cache synchronously, else asynchronously), then let the filter use
 * the claims, or answer 401 / pass on without them, as configured.
 */
import type { Filter, FilterContext } from '../../src/spec.js';
import type { VerifierHandle } from './shared-verifiers.js';
import type { TokenVerifier, VerifiedToken } from './token-verifier.js';
import { bearerToken } from './bearer.js';
import { unauthorized } from './unauthorized.js';
import { AUTH_USER_STATE_KEY, TOKEN_STATE_KEY } from './token-state.js';

export abstract class VerifyingFilter implements Filter {
  protected readonly verifier: TokenVerifier;

  protected constructor(
    private readonly handle: VerifierHandle,
    /** true: 401 for a missing or invalid token; false: pass on without claims. */
    readonly required: boolean,
    /** Lower-case header names removed from every request, token or not. */
    readonly strip: readonly string[],
  ) {
    this.verifier = handle.verifier;
  }

  /**
   * hot path: synchronous unless the token is not in the cache; then the returned promise
   * settles once it is verified (the proxy waits for it before the next filter).
   */
  request(ctx: FilterContext): void | Promise<void> {
    const headers = ctx.outgoing.headers;
    const strip = this.strip;
    // a client must never be able to send what only a verified token may say
    for (let i = 0; i < strip.length; i++) {
      const name = strip[i]!;
      if (headers[name] !== undefined) delete headers[name];
    }
    const token = bearerToken(ctx.request.headers.authorization);
    if (token === null) {
      if (this.required) unauthorized(ctx, false);
      return;
    }
    const hit = this.verifier.cached(token, Date.now());
    if (hit !== undefined) {
      this.settle(ctx, hit);
      return;
    }
    return this.verifier.verify(token).then((verified) => this.settle(ctx, verified));
  }

  private settle(ctx: FilterContext, verified: VerifiedToken | null): void {
    if (verified !== null && this.accept(ctx, verified)) {
      const state = ctx.state;
      state.set(TOKEN_STATE_KEY, verified.state);
      if (verified.state.subject !== undefined) state.set(AUTH_USER_STATE_KEY, verified.state.subject);
      return;
    }
    if (this.required) unauthorized(ctx, true);
  }

  /** Uses a verified token; false when its claims cannot be used (the token counts as invalid). */
  protected abstract accept(ctx: FilterContext, verified: VerifiedToken): boolean;

  close(): void {
    this.handle.release();
  }
}
