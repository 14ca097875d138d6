/**
 * Random hostile bearer tokens against a live skiff whose JWT filters trust a JWKS server on
 * loopback: garbage and wrongly cut tokens, `alg: none`, HS256 signed with the public key as the
 * secret, unknown and missing `kid`s, forged, expired and not-yet-valid tokens, payloads that are
 * no claims set, and tokens validly signed by the JWKS's own keys over hostile claims (arrays,
 * objects, numbers, null, long strings, CR/LF/NUL and other controls, non-ASCII, lone
 * surrogates, nesting too deep to serialise). Every answer is the one the filters document:
 *   - jwtClaimToHeader, mode=required: 401 with a Bearer challenge and the backend never called,
 *     for any token that is not valid or whose claim is refused (CR, LF, NUL, too long);
 *   - mode=optional: 200 without the header then; jwtValidationKeys -> forwardTokenField: 401 for
 *     an invalid token, 200 without the header for a refused claim;
 *   - a 200 carries the claim encoded as claim-value.ts says (visible ASCII, inner spaces, %XX),
 *     which decodes back to the claim, and never the copy the client sent itself.
 * The process never crashes and no promise is left rejected. Bounded: 400 requests with a fixed
 * seed, 20 at a time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';
import { KeyServer, nowSec, signingKey, token, type SigningKey } from '../filters/auth/jwt-fixtures.js';

interface Seen {
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
}

/** An echo backend that records what each path received; its header limit is above skiff's. */
async function startRecorder(): Promise<{ url: string; seen: Map<string, Seen>; close(): Promise<void> }> {
  const seen = new Map<string, Seen>();
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    seen.set(req.url ?? '', { headers: req.headers, rawHeaders: req.rawHeaders });
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

let rsa: SigningKey;
let ec: SigningKey;
let stranger: SigningKey;
let keys: KeyServer;
let backend: Awaited<ReturnType<typeof startRecorder>>;
let proxy: RunningSkiff;
const troubles: unknown[] = [];
const onTrouble = (err: unknown): void => void troubles.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onTrouble);
  process.on('uncaughtException', onTrouble);
  rsa = await signingKey('rsa-1');
  ec = await signingKey('ec-1', 'ES256');
  // same kid as the served RSA key, but not served: its signatures must not verify
  stranger = await signingKey('rsa-1');
  keys = await KeyServer.start([rsa, ec]);
  backend = await startRecorder();
  const jwks = keys.jwksUrl;
  proxy = await startSkiff(`
    required: PathSubtree("/r") -> jwtClaimToHeader("jwks=${jwks}", "sub", "X-User-Id", "org.team", "X-Team", "v", "X-Claim") -> "${backend.url}";
    optional: PathSubtree("/o") -> jwtClaimToHeader("jwks=${jwks} mode=optional", "v", "X-Claim") -> "${backend.url}";
    skipper:  PathSubtree("/s") -> jwtValidationKeys("${jwks}") -> forwardTokenField("X-Claim", "claims.v") -> "${backend.url}";`);
});

afterAll(async () => {
  await proxy?.stop();
  await backend?.close();
  await keys?.close();
  process.off('unhandledRejection', onTrouble);
  process.off('uncaughtException', onTrouble);
});

// --- the claim encoding, written out again as the oracle ------------------------------------

type Expected = { refused: true } | { refused: false; header: string | undefined };

function percent(cp: number): string {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** What claim-value.ts documents for a claim as the verifier sees it (after a JSON round trip). */
function expectedHeader(claim: unknown, maxLength = 4096): Expected {
  if (claim === undefined || claim === null) return { refused: false, header: undefined };
  if (typeof claim === 'number' || typeof claim === 'boolean') return { refused: false, header: String(claim) };
  let text: string;
  if (typeof claim === 'string') {
    if (/[\r\n\0]/.test(claim)) return { refused: true };
    text = claim;
  } else {
    text = jsonText(claim);
  }
  const cps = [...text].map((ch) => ch.codePointAt(0)!);
  let out = '';
  cps.forEach((cp, i) => {
    const inner = i !== 0 && i !== cps.length - 1;
    if ((cp >= 0x21 && cp <= 0x7e && cp !== 0x25) || (cp === 0x20 && inner)) out += String.fromCodePoint(cp);
    else out += percent(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
  });
  return out.length > maxLength ? { refused: true } : { refused: false, header: out };
}

// --- hostile claims ---------------------------------------------------------------------------

const piece = fc.constantFrom(
  '\r', '\n', '\r\n', '\0', '\t', '\x01', '\x1b', '\x7f', '\x80', '\xff', ' ', '%', '%0d%0a', '"', '\\', ',', ';', 'é', '€', '😀', '\ud800', '\udfff',
  'ок', '中文', '\u2028', '\ufeff', 'X-Injected: 1', '\r\nX-Admin: true', 'alice',
);
const hostileString = fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.stringMatching(/^[ -~]{0,30}$/),
  fc.constantFrom(4095, 4096, 4097, 6000).map((n) => 'a'.repeat(n)),
  fc.constantFrom(600, 700, 1400).map((n) => 'é'.repeat(n)),
  fc.constant(' leading and trailing '),
  fc.constant(''),
);
const hostileClaim: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.constantFrom(0, -1, 1.5, 1e21, -0, Number.MAX_SAFE_INTEGER, true, false, null), weight: 1 },
  { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 2 }), weight: 1 },
  // deep enough that JSON.stringify runs out of stack, short enough for the header limit
  { arbitrary: fc.constantFrom(100, 5000).map((d) => new Deep(d)), weight: 1 },
);

// --- tokens -----------------------------------------------------------------------------------

type Kind =
  | 'valid' | 'valid-no-kid' | 'valid-ec' | 'valid-bulky'
  | 'garbage' | 'cut' | 'none' | 'hs256-pem' | 'hs256-jwk' | 'unknown-kid' | 'stranger' | 'expired' | 'not-yet' | 'no-exp'
  | 'tampered' | 'not-claims' | 'crit';

const kinds: readonly Kind[] = [
  'valid', 'valid', 'valid', 'valid', 'valid-no-kid', 'valid-ec', 'valid-bulky',
  'garbage', 'cut', 'none', 'hs256-pem', 'hs256-jwk', 'unknown-kid', 'stranger', 'expired', 'not-yet', 'no-exp', 'tampered', 'not-claims', 'crit',
];

interface Case {
  readonly kind: Kind;
  readonly route: 'r' | 'o' | 's';
  readonly v: unknown;
  readonly team: unknown;
  readonly garbage: string;
  readonly cutAt: number;
  readonly scheme: string;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  kind: fc.constantFrom(...kinds),
  route: fc.constantFrom('r', 'r', 'o', 's'),
  v: fc.option(hostileClaim, { freq: 8, nil: undefined }),
  // short: with a long `v` the header block must stay under skiff's 16 KiB
  team: fc.option(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), { freq: 3, nil: undefined }),
  garbage: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_.=+/%-]{0,200}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), { maxLength: 6 }).map((s) => s.join('.')),
    fc.string({ unit: fc.constantFrom(...'.-_=+/!~ÿé'), maxLength: 40 }),
    fc.constantFrom('.', '..', '...', '....', 'e30.e30.', 'e30.e30.e30', 'eyJhbGciOiJSUzI1NiJ9..', 'a'.repeat(15_000)),
  ),
  cutAt: fc.double({ min: 0, max: 1, noNaN: true }),
  scheme: fc.constantFrom('Bearer ', 'Bearer ', 'bearer ', 'BEARER   '),
});

/** Nesting deeper than JSON.stringify manages: held as a depth, written out by payloadText. */
class Deep {
  constructor(readonly depth: number) {}
}

function jsonText(v: unknown): string {
  return v instanceof Deep ? '['.repeat(v.depth) + ']'.repeat(v.depth) : JSON.stringify(v);
}

/** The claims set as JSON text; undefined members are left out, as JSON.stringify does. */
function payloadText(claims: Record<string, unknown>): string {
  const members = Object.entries(claims).filter(([, v]) => v !== undefined);
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64url');

interface SignOptions {
  kid?: string | null;
  /** Seconds from now; null leaves `exp` out. */
  exp?: number | null;
  nbf?: number;
  crit?: boolean;
  alg?: string;
}

/** A compact JWS over exactly these claims (jose's SignJWT cannot hold a Deep value). */
async function sign(key: SigningKey | Uint8Array, claims: Record<string, unknown>, o: SignOptions = {}): Promise<string> {
  const exp = o.exp === undefined ? 300 : o.exp;
  const all = { ...claims, exp: exp === null ? undefined : nowSec() + exp, nbf: o.nbf === undefined ? undefined : nowSec() + o.nbf };
  const kid = o.kid === undefined ? ('kid' in key ? key.kid : undefined) : o.kid;
  const header = {
    alg: o.alg ?? ('alg' in key ? key.alg : 'HS256'),
    ...(kid === null || kid === undefined ? {} : { kid }),
    ...(o.crit === true ? { crit: ['x-unknown'], 'x-unknown': 1 } : {}),
  };
  const jws = new CompactSign(Buffer.from(payloadText(all))).setProtectedHeader(header);
  return jws.sign('privateKey' in key ? key.privateKey : key, o.crit === true ? { crit: { 'x-unknown': true } } : undefined);
}

/** The token text, whether a correct verifier accepts it, and the `v` claim it holds. */
async function tokenFor(c: Case): Promise<{ jwt: string; valid: boolean; v: unknown }> {
  // a bulky token keeps its `v` small: the header block must stay under skiff's 16 KiB
  const v = c.kind === 'valid-bulky' && jsonText(c.v ?? null).length > 200 ? 'bulky' : c.v;
  const claims = { sub: 'user', v, ...(c.team === undefined ? {} : { org: { team: c.team } }) };
  return { ...(await signed(c, claims)), v };
}

async function signed(c: Case, claims: Record<string, unknown>): Promise<{ jwt: string; valid: boolean }> {
  const live = { ...claims, exp: nowSec() + 300 };
  switch (c.kind) {
    case 'valid':
      return { jwt: await sign(rsa, claims), valid: true };
    case 'valid-no-kid':
      return { jwt: await sign(rsa, claims, { kid: null }), valid: true };
    case 'valid-ec':
      return { jwt: await sign(ec, claims), valid: true };
    case 'valid-bulky':
      return { jwt: await sign(rsa, { ...claims, padding: 'p'.repeat(8000) }), valid: true };
    case 'garbage':
      return { jwt: c.garbage, valid: false };
    case 'cut': {
      const jwt = await sign(rsa, claims);
      const at = Math.floor(c.cutAt * (jwt.length - 1));
      return { jwt: c.cutAt < 0.5 ? jwt.slice(0, at) : `${jwt.slice(0, at)}.${jwt.slice(at)}`, valid: false };
    }
    case 'none': {
      const alg = c.cutAt < 0.3 ? 'none' : c.cutAt < 0.6 ? 'NONE' : 'None';
      return { jwt: `${b64(JSON.stringify({ alg, kid: rsa.kid }))}.${b64(payloadText(live))}.`, valid: false };
    }
    case 'hs256-pem':
      return { jwt: await sign(new TextEncoder().encode(rsa.spki), claims, { kid: rsa.kid, alg: 'HS256' }), valid: false };
    case 'hs256-jwk':
      return { jwt: await sign(new TextEncoder().encode(JSON.stringify(rsa.jwk)), claims, { kid: rsa.kid, alg: 'HS256' }), valid: false };
    case 'unknown-kid':
      return { jwt: await sign(rsa, claims, { kid: `nope-${Math.floor(c.cutAt * 1000)}` }), valid: false };
    case 'stranger':
      return { jwt: await sign(stranger, claims), valid: false };
    case 'expired':
      return { jwt: await sign(rsa, claims, { exp: -60 }), valid: false };
    case 'not-yet':
      return { jwt: await sign(rsa, claims, { nbf: 300 }), valid: false };
    case 'no-exp':
      return { jwt: await sign(rsa, claims, { exp: null }), valid: false };
    case 'tampered': {
      const [header, , signature] = (await sign(rsa, { sub: 'someone-else' })).split('.');
      return { jwt: `${header}.${b64(payloadText(live))}.${signature}`, valid: false };
    }
    case 'not-claims': {
      // correctly signed, but the payload is no JSON object
      const payloads = ['[1,2]', '"sub"', '42', 'null', '{"sub":', '\xff\xfe'];
      const payload = Buffer.from(payloads[Math.floor(c.cutAt * payloads.length)]!, 'latin1');
      return { jwt: await new CompactSign(payload).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).sign(rsa.privateKey), valid: false };
    }
    case 'crit':
      return { jwt: await sign(rsa, claims, { crit: true }), valid: false };
  }
}

/** The header values a backend may see: visible ASCII and inner spaces only. */
const cleanValue = /^(?:[!-~](?:[ -~]*[!-~])?)?$/;
const FORGED = 'forged-by-client';

interface Outcome {
  n: number;
  c: Case;
  status: number;
  problems: string[];
}

async function run(n: number, c: Case): Promise<Outcome> {
  const { jwt, valid, v: sent } = await tokenFor(c);
  const claim = sent instanceof Deep ? sent : (JSON.parse(JSON.stringify({ v: sent })).v as unknown);
  const v = expectedHeader(claim);
  const team = c.route === 'r' ? expectedHeader(c.team) : ({ refused: false, header: undefined } as Expected);
  // forwardTokenField never refuses a token: a value it cannot send is left out
  const refusedByFilter = c.route !== 's' && (v.refused || team.refused);
  const accepted = valid && !refusedByFilter;
  // jwtValidationKeys refuses like mode=required; only mode=optional passes every request on
  const wantStatus = c.route === 'o' || (c.route === 's' ? valid : accepted) ? 200 : 401;
  const path = `/${c.route}/${n}`;
  const problems: string[] = [];
  const reply = await request(`${proxy.url}${path}`, {
    headers: { authorization: `${c.scheme}${jwt}`, 'x-claim': FORGED, 'x-user-id': FORGED, 'x-team': FORGED },
  }).catch((err: Error) => ({ status: 0, headers: {}, text: err.message }));
  if (reply.status !== wantStatus) problems.push(`status ${reply.status}, wanted ${wantStatus}: ${reply.text.slice(0, 80)}`);
  const seen = backend.seen.get(path);
  if (reply.status === 401) {
    if (!/^Bearer/.test(String(reply.headers['www-authenticate']))) problems.push('401 without a Bearer challenge');
    if (seen !== undefined) problems.push('the backend was called for a refused token');
  }
  if (reply.status !== 200) return { n, c, status: reply.status, problems };
  if (seen === undefined) {
    problems.push('200 without the backend');
    return { n, c, status: reply.status, problems };
  }
  const check = (name: string, want: Expected): void => {
    const copies = seen.rawHeaders.filter((_, i) => i % 2 === 0 && seen.rawHeaders[i]!.toLowerCase() === name);
    if (copies.length > 1) problems.push(`${name} sent ${copies.length} times`);
    const got = seen.headers[name];
    if (got === FORGED) problems.push(`the client's ${name} reached the backend`);
    if (typeof got === 'string' && !cleanValue.test(got)) problems.push(`${name} is not a clean header value: ${JSON.stringify(got.slice(0, 60))}`);
    const wanted = accepted && !want.refused ? want.header : undefined;
    if (got !== wanted) problems.push(`${name}: got ${JSON.stringify(got?.slice(0, 60))}, wanted ${JSON.stringify(wanted?.slice(0, 60))}`);
  };
  check('x-claim', v);
  if (c.route === 'r') {
    check('x-user-id', { refused: false, header: 'user' });
    check('x-team', team);
  } else if (seen.headers['x-user-id'] !== FORGED || seen.headers['x-team'] !== FORGED) {
    // headers no filter of the route owns pass as the client sent them
    problems.push('a header no filter owns was changed');
  }
  return { n, c, status: reply.status, problems };
}

const cases = fc.sample(caseArb, { numRuns: 400, seed: 2026 });

describe('random hostile bearer tokens', () => {
  it('get the documented answer, the backend only clean claim headers, and skiff keeps serving', async () => {
    const outcomes: Outcome[] = [];
    for (let from = 0; from < cases.length; from += 20) {
      outcomes.push(...(await Promise.all(cases.slice(from, from + 20).map((c, i) => run(from + i, c)))));
    }
    const bad = outcomes.filter((o) => o.problems.length > 0).map((o) => ({
      n: o.n,
      kind: o.c.kind,
      route: o.c.route,
      v: JSON.stringify(o.c.v)?.slice(0, 80),
      problems: o.problems,
    }));
    expect(bad).toEqual([]);
    // the mix is wide: valid tokens passed with and without their claim, others refused
    const required = outcomes.filter((o) => o.c.route === 'r');
    expect(required.filter((o) => o.status === 200).length).toBeGreaterThan(30);
    expect(required.filter((o) => o.status === 401).length).toBeGreaterThan(100);
    expect(troubles).toEqual([]);
    const after = await request(`${proxy.url}/r/after`, { headers: { authorization: `Bearer ${await token(rsa, { sub: 'still-here' })}` } });
    expect(after.status).toBe(200);
    expect(backend.seen.get('/r/after')?.headers['x-user-id']).toBe('still-here');
  }, 30_000);
});
