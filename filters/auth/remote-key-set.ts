/**
 * A JWKS fetched over HTTP that survives the outage of its endpoint. jose's createRemoteJWKSet
 * awaits a reload once its cache is older than cacheMaxAge and fails verification when that
 * reload fails, dropping good keys at the worst moment; this set instead:
 *   - serves the last good keys for as long as no newer set could be fetched;
 *   - refreshes stale keys in the background (requests never wait for a refresh they don't need);
 *   - fetches at once for a token it has no usable key for: an unknown `kid` (key rotation), or
 *     a matching key it cannot use (broken or private key material), which the
 *     issuer may have fixed since; at most once per cooldown, so that tokens with made-up `kid`s
 *     cannot turn into a stream of fetches;
 *   - merges concurrent fetches into one.
 * Nothing runs between requests: no timer keeps the process alive or fetches for idle routes.
 */
import { createLocalJWKSet, errors, type CompactJWSHeaderParameters, type FlattenedJWSInput, type JWTVerifyGetKey } from 'jose';
import type { RemoteKeySetOptions } from './jwt-options.js';
import { fetchJson } from './fetch-json.js';

type VerifyKey = Awaited<ReturnType<JWTVerifyGetKey>>;

export interface KeySetStats {
  /** Fetches started, successful or not. */
  readonly fetches: number;
  readonly errors: number;
  readonly lastError: string | null;
  /** Age of the keys in use in ms; null before the first successful fetch. */
  readonly ageMs: number | null;
}

/** Raised when there has never been a usable key set. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

export class RemoteKeySet {
  private local: JWTVerifyGetKey | null = null;
  private fetchedAt = 0;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private fetchCount = 0;
  private errorCount = 0;
  private lastErrorText: string | null = null;
  /** Bound once: jose calls it as a plain function. */
  readonly getKey: JWTVerifyGetKey;

  /** `locate` gives the JWKS URL: fixed, or found through OpenID discovery. */
  constructor(
    private readonly locate: () => Promise<string>,
    private readonly options: RemoteKeySetOptions,
  ) {
    this.getKey = (header, token) => this.keyFor(header, token);
  }

  /** Starts the first fetch without waiting for it, so that the first request finds keys. */
  prefetch(): void {
    void this.refresh();
  }

  stats(): KeySetStats {
    return {
      fetches: this.fetchCount,
      errors: this.errorCount,
      lastError: this.lastErrorText,
      ageMs: this.local === null ? null : Date.now() - this.fetchedAt,
    };
  }

  private async keyFor(header: CompactJWSHeaderParameters, token: FlattenedJWSInput): Promise<VerifyKey> {
    let local = this.local;
    if (local === null) {
      await this.refresh();
      local = this.local;
      if (local === null) throw new KeysUnavailableError(`no key set yet: ${this.lastErrorText ?? 'not fetched'}`);
    } else if (Date.now() - this.fetchedAt >= this.options.refreshMs) {
      void this.refresh();
    }
    try {
      return await local(header, token);
    } catch (err) {
      // Several matching keys are tried one by one by the verifier (candidate-keys.ts).
      if (err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      // A kid we do not know may be a key the issuer just rotated in; a set whose key for this
      // token cannot be used (bad or private key material) may have been fixed since.
      // Waiting for the stale refresh instead left a set like that in use for jwksRefresh (10
      // minutes by default) after the endpoint was repaired.
      await this.refresh();
      if (this.local === local || this.local === null) throw err;
      return this.local(header, token);
    }
  }

  /** Fetches unless a fetch is running (joined) or the cooldown since the last one is not over. */
  private refresh(): Promise<void> {
    if (this.pending !== null) return this.pending;
    const now = Date.now();
    if (now - this.attemptedAt < this.options.cooldownMs) return Promise.resolve();
    this.attemptedAt = now;
    this.fetchCount++;
    const run = this.fetchOnce().finally(() => {
      this.pending = null;
    });
    this.pending = run;
    return run;
  }

  private async fetchOnce(): Promise<void> {
    try {
      const url = await this.locate();
      const json = await fetchJson(url, this.options.timeoutMs);
      const next = createLocalJWKSet(json as Parameters<typeof createLocalJWKSet>[0]);
      this.local = next;
      this.fetchedAt = Date.now();
      this.lastErrorText = null;
    } catch (err) {
      // the keys in use stay: an unreachable or broken endpoint must not log everyone out
      this.errorCount++;
      this.lastErrorText = err instanceof Error ? err.message : String(err);
    }
  }
}

/** A key set at a fixed URL. */
export function jwksAt(url: string, options: RemoteKeySetOptions): RemoteKeySet {
  return new RemoteKeySet(() => Promise.resolve(url), options);
}

/**
 * A key set found through OpenID Connect discovery: `<issuer>/.well-known/openid-configuration`
 * gives `jwks_uri`. The document's `issuer` must equal the configured issuer (OpenID Connect
 * Discovery §4.3), or a compromised or misconfigured document could substitute another issuer's
 * keys. The location is remembered once found.
 */
export function jwksByDiscovery(issuer: string, options: RemoteKeySetOptions): RemoteKeySet {
  let found: string | null = null;
  const configUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  return new RemoteKeySet(async () => {
    if (found !== null) return found;
    const doc = await fetchJson(configUrl, options.timeoutMs);
    if (typeof doc !== 'object' || doc === null) throw new Error(`${configUrl}: not a JSON object`);
    const { issuer: docIssuer, jwks_uri: jwksUri } = doc as { issuer?: unknown; jwks_uri?: unknown };
    if (docIssuer !== issuer) throw new Error(`${configUrl}: issuer ${JSON.stringify(docIssuer)} is not ${JSON.stringify(issuer)}`);
    if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) throw new Error(`${configUrl}: no usable jwks_uri`);
    found = jwksUri;
    return jwksUri;
  }, options);
}
