/**
 * Verifies bearer tokens for one JWT configuration: signature (jose's jwtVerify against the
 * configured keys and algorithm allow list), `exp` always required, `nbf`, and `iss`/`aud`/`typ`
 * when configured. Verified tokens are cached (see token-cache.ts) and concurrent verifications
 * of the same token are merged. Verifiers are shared by every filter with the same
 * configuration (see shared-verifiers.ts), across routes and route table rebuilds.
 */
import { jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { JwtOptions } from './jwt-options.js';
import type { TokenState } from './token-state.js';
import { TokenCache } from './token-cache.js';
import { verifyAgainstKeySet } from './candidate-keys.js';
import { jwksAt, jwksByDiscovery, type KeySetStats, type RemoteKeySet } from './remote-key-set.js';

export interface VerifiedToken {
  readonly claims: JWTPayload;
  /** The state bag value, built once per verified token. */
  readonly state: TokenState;
  readonly expiresAt: number;
}

/** Longer than any header Node accepts by default (16 KiB in all): cheap refusal of junk. */
export const MAX_TOKEN_LENGTH = 16_384;

export class TokenVerifier {
  private readonly cache: TokenCache<VerifiedToken>;
  private readonly inFlight = new Map<string, Promise<VerifiedToken | null>>();
  private readonly verifyOptions: JWTVerifyOptions;
  private readonly remote: RemoteKeySet | null;
  private readonly verifyToken: (token: string) => Promise<{ payload: JWTPayload }>;

  constructor(readonly options: JwtOptions) {
    this.cache = new TokenCache(options.cacheSize);
    this.verifyOptions = {
      algorithms: [...options.algorithms],
      requiredClaims: [...options.requiredClaims],
      clockTolerance: options.clockToleranceSec,
      ...(options.issuer === undefined ? {} : { issuer: [...options.issuer] }),
      ...(options.audience === undefined ? {} : { audience: [...options.audience] }),
      ...(options.typ === undefined ? {} : { typ: options.typ }),
    };
    const s = options.source;
    const vo = this.verifyOptions;
    switch (s.kind) {
      case 'jwks':
      case 'oidc': {
        const remote = s.kind === 'jwks' ? jwksAt(s.url, options.remote, options.algorithms) : jwksByDiscovery(s.issuer, options.remote, options.algorithms);
        this.remote = remote;
        this.verifyToken = (token) => verifyAgainstKeySet(token, remote.getKey, vo);
        remote.prefetch();
        break;
      }
      default: {
        this.remote = null;
        if (s.kind === 'public') this.verifyToken = (token) => jwtVerify(token, s.key, vo);
        else if (s.kind === 'secret') this.verifyToken = (token) => jwtVerify(token, s.secret, vo);
        else this.verifyToken = (token) => verifyAgainstKeySet(token, s.getKey, vo);
      }
    }
  }

  /** hot path: a verified token still fresh in the cache, without any await. */
  cached(token: string, now: number): VerifiedToken | undefined {
    return this.cache.get(token, now);
  }

  /** The verified token, or null when it is not valid. Never rejects. */
  verify(token: string): Promise<VerifiedToken | null> {
    if (token.length > MAX_TOKEN_LENGTH) return Promise.resolve(null);
    const running = this.inFlight.get(token);
    if (running !== undefined) return running;
    const p = this.verifyOnce(token).finally(() => this.inFlight.delete(token));
    this.inFlight.set(token, p);
    return p;
  }

  keySetStats(): KeySetStats | null {
    return this.remote?.stats() ?? null;
  }

  close(): void {
    this.cache.clear();
  }

  private async verifyOnce(token: string): Promise<VerifiedToken | null> {
    let claims: JWTPayload;
    try {
      claims = (await this.verifyToken(token)).payload;
    } catch {
      return null;
    }
    // JSON reads `"exp": 1e400` as Infinity, which jose takes for a number: such a token would
    // never expire. A time no clock can reach is a malformed token, whoever signed it.
    if (!finiteTime(claims.exp) || !finiteTime(claims.nbf) || !finiteTime(claims.iat)) return null;
    const now = Date.now();
    // exp is required, so present and numeric here; jose accepts it up to the clock tolerance
    const expMs = (claims.exp! + this.options.clockToleranceSec) * 1000;
    const verified: VerifiedToken = {
      claims,
      state: { claims, subject: typeof claims.sub === 'string' ? claims.sub : undefined },
      expiresAt: Math.min(expMs, now + this.options.cacheTtlMs),
    };
    if (verified.expiresAt > now && this.options.cacheTtlMs > 0) this.cache.set(token, verified);
    return verified;
  }
}

/** Absent, or a NumericDate a clock can reach. */
function finiteTime(t: number | undefined): boolean {
  return t === undefined || Number.isFinite(t);
}
