/**
 * The configuration argument of the JWT filters, parsed and checked at build time. Three forms:
 *   "https://idp.example/keys"                                   a JWKS URL, everything else default
 *   "jwks=https://idp.example/keys issuer=https://idp.example audience=api mode=optional"
 *   "{\"keyFile\": \"/etc/skiff/jwt.pem\", \"algorithms\": [\"ES256\"]}"   (JSON, for values with spaces)
 * Keys: exactly one of jwks, oidc, key, keyFile, secret, secretFile; then algorithms, issuer,
 * audience, typ, requiredClaims, mode (required|optional), clockTolerance, cacheTtl, cacheSize,
 * maxValueLength, jwksRefresh, jwksCooldown, jwksTimeout. Lists are comma-separated (or JSON
 * arrays), durations Go-style ("30s") or, in JSON, numbers of seconds.
 */
import { parseGoDuration } from '../timeout/duration.js';
import { ASYMMETRIC_ALGORITHMS, isHmac, isKnownAlgorithm, minimumSecretBytes } from './algorithms.js';
import { parsePublicKey, parseSecret, readKeyFile, type LocalKey } from './local-key.js';

export interface RemoteKeySetOptions {
  /** Keys older than this are refreshed in the background; the old ones serve meanwhile. */
  readonly refreshMs: number;
  /** Least time between two fetches, whatever triggers them (unknown `kid`, errors). */
  readonly cooldownMs: number;
  readonly timeoutMs: number;
}

export type KeySourceOption =
  | { readonly kind: 'jwks'; readonly url: string }
  | { readonly kind: 'oidc'; readonly issuer: string }
  | LocalKey;

export interface JwtOptions {
  readonly source: KeySourceOption;
  readonly algorithms: readonly string[];
  /** Accepted `iss` values; undefined: not checked. */
  readonly issuer: readonly string[] | undefined;
  /** Accepted `aud` values (any one); undefined: not checked. */
  readonly audience: readonly string[] | undefined;
  /** Required `typ` header, e.g. `at+jwt` (RFC 8725 §3.11); undefined: not checked. */
  readonly typ: string | undefined;
  /** Claims that must be present; always holds `exp`. */
  readonly requiredClaims: readonly string[];
  readonly clockToleranceSec: number;
  /** true: a missing or invalid token is answered 401; false: passed on without claim headers. */
  readonly required: boolean;
  /**
   * How long a verified token is remembered (never past its `exp`); 0 turns the cache off. It
   * is also how long a token stays accepted after its key was removed from the JWKS.
   */
  readonly cacheTtlMs: number;
  readonly cacheSize: number;
  /** Longest header value a claim may produce once encoded. */
  readonly maxValueLength: number;
  readonly remote: RemoteKeySetOptions;
}

export const defaultRemoteKeySetOptions: RemoteKeySetOptions = Object.freeze({
  refreshMs: 10 * 60_000,
  cooldownMs: 30_000,
  timeoutMs: 5_000,
});

const defaults = {
  cacheTtlMs: 60_000,
  cacheSize: 10_000,
  maxValueLength: 4096,
  clockToleranceSec: 0,
};

type Raw = Map<string, string | readonly string[] | number>;

const knownKeys = new Set([
  'jwks', 'oidc', 'key', 'keyFile', 'secret', 'secretFile', 'algorithms', 'issuer', 'audience', 'typ',
  'requiredClaims', 'mode', 'clockTolerance', 'cacheTtl', 'cacheSize', 'maxValueLength', 'jwksRefresh',
  'jwksCooldown', 'jwksTimeout',
]);
const sourceKeys = ['jwks', 'oidc', 'key', 'keyFile', 'secret', 'secretFile'] as const;

/** Parses the configuration text; throws Error with a reason (callers add the filter name). */
export function parseJwtOptions(text: string, extraRequired: readonly string[] = []): JwtOptions {
  const raw = parseRaw(text);
  for (const k of raw.keys()) if (!knownKeys.has(k)) throw new Error(`unknown option ${JSON.stringify(k)}`);
  const given = sourceKeys.filter((k) => raw.has(k));
  if (given.length !== 1) throw new Error('needs exactly one of jwks, oidc, key, keyFile, secret, secretFile');
  const source = keySource(given[0]!, single(raw, given[0]!)!);

  const algorithms = list(raw, 'algorithms') ?? (source.kind === 'secret' ? ['HS256'] : ASYMMETRIC_ALGORITHMS);
  if (algorithms.length === 0) throw new Error('algorithms must not be empty');
  for (const alg of algorithms) {
    if (alg.toLowerCase() === 'none') throw new Error('algorithm "none" is never accepted');
    if (!isKnownAlgorithm(alg)) throw new Error(`unknown algorithm ${JSON.stringify(alg)}`);
    if (isHmac(alg) !== (source.kind === 'secret')) {
      throw new Error(source.kind === 'secret' ? `a secret verifies only HS256, HS384 and HS512, not ${alg}` : `${alg} needs a shared secret (secret or secretFile)`);
    }
  }
  if (source.kind === 'secret' && source.secret.length < minimumSecretBytes(algorithms)) {
    throw new Error(`the secret must be at least ${minimumSecretBytes(algorithms)} bytes for ${algorithms.join(', ')}`);
  }

  const mode = single(raw, 'mode') ?? 'required';
  if (mode !== 'required' && mode !== 'optional') throw new Error(`mode must be "required" or "optional", got ${JSON.stringify(mode)}`);
  const issuer = list(raw, 'issuer') ?? (source.kind === 'oidc' ? [source.issuer] : undefined);
  const requiredClaims = [...new Set(['exp', ...extraRequired, ...(list(raw, 'requiredClaims') ?? [])])];

  return {
    source,
    algorithms: [...algorithms],
    issuer,
    audience: list(raw, 'audience'),
    typ: single(raw, 'typ'),
    requiredClaims,
    clockToleranceSec: duration(raw, 'clockTolerance', defaults.clockToleranceSec * 1000, 0, 3_600_000) / 1000,
    required: mode === 'required',
    cacheTtlMs: duration(raw, 'cacheTtl', defaults.cacheTtlMs, 0, 86_400_000),
    cacheSize: integer(raw, 'cacheSize', defaults.cacheSize, 1, 1_000_000),
    maxValueLength: integer(raw, 'maxValueLength', defaults.maxValueLength, 1, 16_384),
    remote: {
      refreshMs: duration(raw, 'jwksRefresh', defaultRemoteKeySetOptions.refreshMs, 1, 7 * 86_400_000),
      cooldownMs: duration(raw, 'jwksCooldown', defaultRemoteKeySetOptions.cooldownMs, 0, 86_400_000),
      timeoutMs: duration(raw, 'jwksTimeout', defaultRemoteKeySetOptions.timeoutMs, 1, 60_000),
    },
  };
}

/** The options for a key set URL and nothing else (jwtValidationKeys, the bare URL form). */
export function jwksUrlOptions(url: string, extraRequired: readonly string[] = []): JwtOptions {
  return parseJwtOptions(`jwks=${url}`, extraRequired);
}

/** Everything that decides whether a token is valid: equal keys may share one verifier and its cache. */
export function verifierKey(o: JwtOptions): string {
  const s = o.source;
  const source = s.kind === 'jwks' ? `jwks ${s.url}` : s.kind === 'oidc' ? `oidc ${s.issuer}` : `${s.kind} ${s.fingerprint}`;
  return JSON.stringify([
    source, o.algorithms, o.issuer ?? null, o.audience ?? null, o.typ ?? null, o.requiredClaims,
    o.clockToleranceSec, o.cacheTtlMs, o.cacheSize, o.remote.refreshMs, o.remote.cooldownMs, o.remote.timeoutMs,
  ]);
}

function keySource(kind: (typeof sourceKeys)[number], value: string): KeySourceOption {
  switch (kind) {
    case 'jwks':
      return { kind: 'jwks', url: httpUrl(value, 'jwks') };
    case 'oidc':
      return { kind: 'oidc', issuer: httpUrl(value, 'oidc') };
    case 'key':
      return parsePublicKey(value);
    case 'keyFile':
      return readKeyFile(value, false);
    case 'secret':
      return parseSecret(value);
    case 'secretFile':
      return readKeyFile(value, true);
  }
}

function httpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(value)}`);
  if (url.username !== '' || url.password !== '') throw new Error(`${what} must not carry credentials`);
  return value;
}

function parseRaw(text: string): Raw {
  const t = text.trim();
  const raw: Raw = new Map();
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch (err) {
      throw new Error(`the configuration is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the configuration must be a JSON object');
    for (const [k, v] of Object.entries(json)) {
      if (typeof v === 'string' || typeof v === 'number') raw.set(k, v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) raw.set(k, v as string[]);
      else throw new Error(`option ${k}: expected a string, a number or a list of strings`);
    }
    return raw;
  }
  if (/^https?:\/\/\S+$/.test(t)) {
    raw.set('jwks', t);
    return raw;
  }
  for (const part of t.split(/\s+/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got ${JSON.stringify(part)}`);
    const key = part.slice(0, eq);
    if (raw.has(key)) throw new Error(`option ${key} given twice`);
    raw.set(key, part.slice(eq + 1));
  }
  return raw;
}

function single(raw: Raw, key: string): string | undefined {
  const v = raw.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new Error(`option ${key} must be a non-empty string`);
  return v;
}

function list(raw: Raw, key: string): readonly string[] | undefined {
  const v = raw.get(key);
  if (v === undefined) return undefined;
  if (typeof v === 'number') throw new Error(`option ${key} must be a list of strings`);
  const items = (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error(`option ${key} must not be empty`);
  return items;
}

function duration(raw: Raw, key: string, fallback: number, min: number, max: number): number {
  const v = raw.get(key);
  if (v === undefined) return fallback;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseGoDuration(v) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < min || ms > max) {
    throw new Error(`option ${key} must be a duration from ${min}ms to ${max / 1000}s, got ${JSON.stringify(v)}`);
  }
  return ms;
}

function integer(raw: Raw, key: string, fallback: number, min: number, max: number): number {
  const v = raw.get(key);
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`option ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}
