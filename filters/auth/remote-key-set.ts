/**
 * A JWKS fetched over HTTP that survives the outage of its endpoint. jose's createRemoteJWKSet
 * awaits a reload once its cache is older than cacheMaxAge and fails verification when that
 * reload fails, dropping good keys at the worst moment; this set instead:
 *   - serves the last good keys for as long as no newer set could be fetched; a set that holds
 *     no usable key (empty, or only keys that are private, broken, too weak or of a type or
 *     algorithm not accepted, see usable-keys.ts) is a failed fetch too, as an identity
 *     provider's hiccup can serve one; a set with at least one usable key replaces the old one;
 *   - refreshes stale keys in the background (requests never wait for a refresh they don't need);
 *   - keeps only the usable keys of a set: a token whose `kid` names a key that is broken,
 *     private or too weak finds no key, as for an unknown `kid`;
 *   - fetches at once for a token it has no usable key for: an unknown `kid` (key rotation), or
 *     a key left out as unusable, which the issuer may have fixed since; at most once per
 *     cooldown, so that tokens with made-up `kid`s cannot turn into a stream of fetches;
 *   - merges concurrent fetches into one;
 *   - after a failed fetch, lets the next one look for the set again (OpenID discovery);
 *   - counts failed fetches (stats(), and per process for /metrics: key-set-counts.ts) and logs
 *     them as warnings, at most one line a minute.
 * Nothing runs between requests: no timer keeps the process alive or fetches for idle routes.
 */
import { createLocalJWKSet, errors, type CompactJWSHeaderParameters, type FlattenedJWSInput, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { RemoteKeySetOptions } from './jwt-options.js';
import { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
import { fetchJson } from './fetch-json.js';
import { keySetLogger } from './key-set-log.js';
import { countKeySetError, countKeySetFetch } from './key-set-counts.js';
import { sortKeys } from './usable-keys.js';

type VerifyKey = Awaited<ReturnType<JWTVerifyGetKey>>;

export interface KeySetStats {
  /** Fetches started, successful or not. */
  readonly fetches: number;
  /** Fetches that gave no keys: failed, or a set without a usable key. */
  readonly errors: number;
  readonly lastError: string | null;
  /** Age of the keys in use in ms; null before the first successful fetch. */
  readonly ageMs: number | null;
}

/** Raised when there has never been a usable key set. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

/**
 * With jwksCooldown=0 a failing endpoint may be fetched at request rate; its warnings must not be
 * written at that rate.
 */
const WARN_INTERVAL_MS = 60_000;

export class RemoteKeySet {
  private local: JWTVerifyGetKey | null = null;
  private fetchedAt = 0;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private fetchCount = 0;
  private errorCount = 0;
  private lastErrorText: string | null = null;
  private warnedAt = Number.NEGATIVE_INFINITY;
  private lastFetchFailed = false;
  /** Bound once: jose calls it as a plain function. */
  readonly getKey: JWTVerifyGetKey;

  /**
   * `locate` gives the JWKS URL: fixed, or found through OpenID discovery; `afterFailure` says
   * the last fetch gave no keys, and a URL found once may be looked up again. `source` names the
   * set in the log; `algorithms` are those the verifier accepts: a key for none of them is no use.
   */
  constructor(
    private readonly source: string,
    private readonly locate: (afterFailure: boolean) => Promise<string>,
    private readonly options: RemoteKeySetOptions,
    private readonly algorithms: readonly string[] = ASYMMETRIC_ALGORITHMS,
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
      // A kid we do not know may be a key the issuer just rotated in, or one it has fixed since
      // we left it out as unusable (bad, private or too weak key material). Waiting for the stale
      // refresh instead left a set like that in use for jwksRefresh (10 minutes by default)
      // after the endpoint was repaired.
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
    countKeySetFetch(this.source);
    const run = this.fetchOnce().finally(() => {
      this.pending = null;
    });
    this.pending = run;
    return run;
  }

  private async fetchOnce(): Promise<void> {
    try {
      const url = await this.locate(this.lastFetchFailed);
      const json = await fetchJson(url, this.options.timeoutMs);
      // refuses what is no key set at all, before its keys are looked at
      createLocalJWKSet(json as JSONWebKeySet);
      const { usable, problem } = await sortKeys(json as JSONWebKeySet, this.algorithms);
      if (usable.length === 0) throw new Error(`${url}: no usable key ${problem === null ? 'in an empty set' : `(${problem})`}`);
      // An RSA key under 2048 bits imports, and jose refuses it only in the signature check,
      // after the set has handed it out: kept in the set, its kid looked known, and a token
      // signed by the repaired key was refused until the stale refresh.
      this.local = createLocalJWKSet({ keys: usable });
      this.fetchedAt = Date.now();
      this.lastErrorText = null;
      this.warnedAt = Number.NEGATIVE_INFINITY;
      this.lastFetchFailed = false;
    } catch (err) {
      // The keys in use stay: an unreachable or broken endpoint must not log everyone out, nor
      // may one that answers, during an identity provider's hiccup, with a set of no use.
      this.errorCount++;
      countKeySetError(this.source);
      this.lastErrorText = err instanceof Error ? err.message : String(err);
      this.lastFetchFailed = true;
      this.warn(this.lastErrorText);
    }
  }

  /** At most one line a minute; the first failure after keys were fetched is logged at once. */
  private warn(error: string): void {
    const now = Date.now();
    if (now - this.warnedAt < WARN_INTERVAL_MS) return;
    this.warnedAt = now;
    const kept = this.local !== null;
    keySetLogger().warn(kept ? 'jwt key set fetch failed; the keys in use stay' : 'jwt key set fetch failed; no keys yet, tokens are refused', {
      keySet: this.source,
      error,
      keys: kept ? 'kept' : 'none',
      failures: this.errorCount,
    });
  }
}

/** A key set at a fixed URL. */
export function jwksAt(url: string, options: RemoteKeySetOptions, algorithms?: readonly string[]): RemoteKeySet {
  return new RemoteKeySet(`jwks ${url}`, () => Promise.resolve(url), options, algorithms);
}

/**
 * A key set found through OpenID Connect discovery: `<issuer>/.well-known/openid-configuration`
 * gives `jwks_uri`. The document's `issuer` must equal the configured issuer (OpenID Connect
 * Discovery §4.3), or a compromised or misconfigured document could substitute another issuer's
 * keys. The location is remembered once found, and the document read again only after a fetch
 * that gave no keys (unreachable, not 200, no usable key): an issuer that moves its jwks_uri is
 * followed without a restart, and one whose keys are where they were is not asked every time.
 */
export function jwksByDiscovery(issuer: string, options: RemoteKeySetOptions, algorithms?: readonly string[]): RemoteKeySet {
  let found: string | null = null;
  const configUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  return new RemoteKeySet(`oidc ${issuer}`, async (afterFailure) => {
    if (found !== null && !afterFailure) return found;
    const doc = await fetchJson(configUrl, options.timeoutMs);
    if (typeof doc !== 'object' || doc === null) throw new Error(`${configUrl}: not a JSON object`);
    const { issuer: docIssuer, jwks_uri: jwksUri } = doc as { issuer?: unknown; jwks_uri?: unknown };
    if (docIssuer !== issuer) throw new Error(`${configUrl}: issuer ${JSON.stringify(docIssuer)} is not ${JSON.stringify(issuer)}`);
    if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) throw new Error(`${configUrl}: no usable jwks_uri`);
    found = jwksUri;
    return jwksUri;
  }, options, algorithms);
}
