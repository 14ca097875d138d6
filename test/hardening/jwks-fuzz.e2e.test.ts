/**
 * A hostile JWKS endpoint behind the JWT filters, end to end: answers that are not JSON, JSON
 * of the wrong shape (no key array, keys of the wrong type, algorithm or curve, numbers where
 * strings belong, private and symmetric keys), bodies over the 1 MiB cap (declared,
 * chunked, endless), 500/404/302, reset connections, and servers that hang before or during the
 * body. Whatever the endpoint does, skiff does not crash or leave a promise rejected, answers a
 * valid token 401 while it has no usable key (within the jwksTimeout for a hanging endpoint),
 * reads no more of a body than the cap, and lets valid tokens through once the endpoint serves a
 * good key set again and the cooldown is over. The same for OpenID discovery documents (oidc=):
 * not JSON, another issuer, a jwks_uri that is no http URL, endless, 302, 500, reset, hanging.
 * Random sequences of answers then check that good keys, once loaded, survive every failed
 * fetch and every set without a usable key (empty, wrong types, broken, private, too weak), and
 * that a set with a usable key, but none that can verify the token, replaces them. A set with two
 * keys under the token's kid (an issuer rotating in place) is no failure: the key that signed the
 * token verifies it.
 * Bounded: one request per endpoint and phase, six sequences of at most eight answers.
 *
 * Timeouts: only the endpoints that hang get a short jwksTimeout, the one whose promptness is
 * checked; the others answer at once, and their generous timeout is never waited for (a test
 * that ran into it fails on its bound). Thirty fetches in parallel share one event loop with
 * skiff, the endpoint and the token signing: on a loaded machine that took longer than a short
 * timeout, and a good key set fetched too late was a 401 where a 200 was due.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fc from 'fast-check';
import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { signingKey, sleep, token, type SigningKey } from '../filters/auth/jwt-fixtures.js';

const COOLDOWN_MS = 100;
/** jwksTimeout of the endpoints that hang (before or during the body): the 401 comes after it. */
const TIMEOUT_MS = 300;
const HANGING = ['hang', 'hang-body'];
/** jwksTimeout of the endpoints that answer: far above any answer, never waited for. */
const ANSWER_TIMEOUT_MS = 4000;
/**
 * jwksTimeout of the sequences, whose endpoints hang in some steps and answer in others: a few
 * fetches at a time there, each well under 50 ms even on a loaded machine.
 */
const SEQUENCE_TIMEOUT_MS = 500;
/** How much later than its timeout a request may be answered on a loaded machine. */
const LATE_MS = 2000;
const CAP = 1 << 20;
/** Sets with several keys under the token's kid, one of them the signer's: tokens pass. */
const SEVERAL = ['duplicate-kid', 'duplicate-kid-other'];
/**
 * Sets with a usable key, but under the token's kid one that imports and is too weak to verify
 * (a tiny modulus): the set is taken and the token refused, until a fetch after the cooldown.
 */
const WEAK_BESIDE_OTHER = ['weak-beside-other'];

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, sent: (n: number) => void) => void;

let rsa: SigningKey;
let other: SigningKey;
let privateJwk: JWK;

const json = (body: unknown): Answer => (_req, res) => {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const text = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}): Answer => (_req, res) => {
  res.writeHead(status, headers).end(body);
};

/** Writes JSON padded past the cap in 64 KiB chunks (endless: until the reader goes away). */
const oversized = (endless: boolean, declare: boolean): Answer => (_req, res, sent) => {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const total = 2 * CAP;
  res.writeHead(200, { 'content-type': 'application/json', ...(declare ? { 'content-length': total } : {}) });
  let written = 0;
  const pump = (): void => {
    while (!res.destroyed && (endless || written < total)) {
      const piece = !endless && written === 0 ? Buffer.concat([Buffer.from(`{"keys":[${JSON.stringify(rsa.jwk)}]}`), chunk]).subarray(0, chunk.length) : chunk;
      written += piece.length;
      sent(piece.length);
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!endless && !res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  pump();
};

function answers(): Record<string, Answer> {
  const good = rsa.jwk;
  return {
    good: json({ keys: [good] }),
    html: text(200, '<html><body>keys moved</body></html>', { 'content-type': 'text/html' }),
    truncated: text(200, `{"keys":[${JSON.stringify(good).slice(0, 40)}`),
    array: json([good]),
    'keys-object': json({ keys: { a: good } }),
    'keys-string': json({ keys: JSON.stringify([good]) }),
    'keys-scalars': json({ keys: [1, null, 'k', true] }),
    empty: json({ keys: [] }),
    'wrong-kty': json({ keys: [{ ...good, kty: 'EC' }] }),
    'wrong-alg': json({ keys: [{ ...good, alg: 'ES256' }] }),
    'wrong-crv': json({ keys: [{ kty: 'EC', crv: 'P-999', kid: rsa.kid, x: 'AAAA', y: 'AAAA' }] }),
    'duplicate-kid': json({ keys: [good, good] }),
    'duplicate-kid-other': json({ keys: [{ ...other.jwk, kid: rsa.kid }, good] }),
    'number-kid': json({ keys: [{ ...good, kid: 123 }] }),
    'no-n': json({ keys: [{ ...good, n: undefined }] }),
    'number-n': json({ keys: [{ ...good, n: 12345, e: 3 }] }),
    'garbage-n': json({ keys: [{ ...good, n: 'not-a-modulus' }] }),
    'weak-beside-other': json({ keys: [{ ...good, n: 'not-a-modulus' }, other.jwk] }),
    private: json({ keys: [{ ...privateJwk, kid: rsa.kid, alg: 'RS256' }] }),
    oct: json({ keys: [{ kty: 'oct', kid: rsa.kid, k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA' }] }),
    'huge-declared': oversized(false, true),
    'huge-chunked': oversized(false, false),
    endless: oversized(true, false),
    '500': text(500, 'boom'),
    '404': text(404, 'not here'),
    '302': text(302, '', { location: '/k/good' }),
    reset: (req) => req.socket.destroy(),
    hang: () => undefined,
    'hang-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 200 });
      res.write('{"keys":[');
    },
    'short-body': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 200 });
      res.write('{"keys":[', () => req.socket.destroy());
    },
    ...discoveryAnswers(),
  };
}

/** The issuer a discovery document at /o/<name>/.well-known/openid-configuration speaks for. */
const issuerOf = (req: http.IncomingMessage): string => `http://${req.headers.host}${req.url!.replace(/\/\.well-known\/openid-configuration$/, '')}`;

/** OpenID discovery documents (oidc=), under names starting with o/. */
function discoveryAnswers(): Record<string, Answer> {
  const doc = (f: (issuer: string, host: string) => unknown): Answer => (req, res, sent) => json(f(issuerOf(req), `http://${req.headers.host}`))(req, res, sent);
  return {
    'o/good': doc((issuer, host) => ({ issuer, jwks_uri: `${host}/k/good` })),
    'o/html': text(200, '<html></html>'),
    'o/array': json([]),
    'o/wrong-issuer': doc((_, host) => ({ issuer: 'https://someone-else.example', jwks_uri: `${host}/k/good` })),
    'o/no-issuer': doc((_, host) => ({ jwks_uri: `${host}/k/good` })),
    'o/jwks-uri-file': doc((issuer) => ({ issuer, jwks_uri: 'file:///etc/passwd' })),
    'o/jwks-uri-number': doc((issuer) => ({ issuer, jwks_uri: 42 })),
    'o/no-jwks-uri': doc((issuer) => ({ issuer })),
    'o/endless': oversized(true, false),
    'o/302': text(302, '', { location: '/o/good/.well-known/openid-configuration' }),
    'o/500': text(500, 'boom'),
    'o/reset': (req) => req.socket.destroy(),
    'o/hang': () => undefined,
  };
}

/** The JWKS endpoints: /k/<name> answers as behaviour[name] says; bytes written are counted. */
class HostileKeys {
  readonly behaviour = new Map<string, string>();
  readonly fetches = new Map<string, number>();
  readonly bytes = new Map<string, number>();
  /** ms from the request to the connection's end, for the last request of each name. */
  readonly closedAfter = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: http.Server, readonly url: string, private readonly table: Record<string, Answer>) {}

  static async start(table: Record<string, Answer>): Promise<HostileKeys> {
    let self: HostileKeys | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new HostileKeys(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, table);
    server.on('connection', (s: Socket) => {
      self!.sockets.add(s);
      s.on('close', () => self!.sockets.delete(s));
    });
    return self;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const discovery = /^\/o\/([^/]+)\/\.well-known\/openid-configuration$/.exec(url);
    const name = discovery === null ? decodeURIComponent(url.slice('/k/'.length)) : `o/${discovery[1]}`;
    this.fetches.set(name, (this.fetches.get(name) ?? 0) + 1);
    const started = Date.now();
    res.on('close', () => this.closedAfter.set(name, Date.now() - started));
    const answer = this.table[this.behaviour.get(name) ?? name];
    if (answer === undefined) {
      res.writeHead(404).end();
      return;
    }
    answer(req, res, (n) => this.bytes.set(name, (this.bytes.get(name) ?? 0) + n));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

let keys: HostileKeys;
let echo: TestServer;
let proxy: RunningSkiff;
let names: string[];
let docs: string[];
const troubles: unknown[] = [];
const onTrouble = (err: unknown): void => void troubles.push(err);

/** Routes for the random sequence: their endpoint's behaviour is changed as the test goes. */
const SEQUENCES = 6;

beforeAll(async () => {
  process.on('unhandledRejection', onTrouble);
  process.on('uncaughtException', onTrouble);
  rsa = await signingKey('rsa-1');
  other = await signingKey('other');
  // the signer's own private key: a filter that took the public half out of it would verify
  privateJwk = await exportJWK(rsa.privateKey);
  const table = answers();
  names = Object.keys(table).filter((n) => n !== 'good' && !n.startsWith('o/'));
  docs = Object.keys(table).filter((n) => n.startsWith('o/') && n !== 'o/good').map((n) => n.slice(2));
  keys = await HostileKeys.start(table);
  echo = await startEcho();
  // the endless body must be cut at the cap, long before its (answering) timeout
  const cfg = (name: string, timeout = timeoutOf(name)): string => `jwks=${keys.url}/k/${name} jwksCooldown=${COOLDOWN_MS}ms jwksTimeout=${timeout}ms`;
  const routes = [
    ...names.map((n, i) => `r${i}: Path("/one/${n}") -> jwtClaimToHeader("${cfg(n)}", "sub", "X-User-Id") -> "${echo.url}";`),
    ...docs.map((n, i) => `d${i}: Path("/oidc/${n}") -> jwtClaimToHeader("oidc=${keys.url}/o/${n} jwksCooldown=${COOLDOWN_MS}ms jwksTimeout=${timeoutOf(n)}ms", "sub", "X-User-Id") -> "${echo.url}";`),
    ...Array.from({ length: SEQUENCES }, (_, i) => `s${i}: Path("/seq/${i}") -> jwtClaimToHeader("${cfg(`seq-${i}`, SEQUENCE_TIMEOUT_MS)}", "sub", "X-User-Id") -> "${echo.url}";`),
  ];
  for (let i = 0; i < SEQUENCES; i++) keys.behaviour.set(`seq-${i}`, 'good');
  proxy = await startSkiff(routes.join('\n'));
});

afterAll(async () => {
  await proxy?.stop();
  await echo?.close();
  await keys?.close();
  process.off('unhandledRejection', onTrouble);
  process.off('uncaughtException', onTrouble);
});

const timeoutOf = (name: string): number => (HANGING.includes(name) ? TIMEOUT_MS : ANSWER_TIMEOUT_MS);

/** A refusal in time: after the short timeout of a hanging endpoint, else well before the long one. */
const prompt = (name: string, ms: number): boolean => (HANGING.includes(name) ? ms < TIMEOUT_MS + LATE_MS : ms < ANSWER_TIMEOUT_MS / 2);

/** One call after another: in parallel, their fetches would wait for each other's work. */
async function oneByOne<T>(items: readonly string[], f: (n: string) => Promise<T>): Promise<(readonly [string, T])[]> {
  const out: (readonly [string, T])[] = [];
  for (const n of items) out.push([n, await f(n)] as const);
  return out;
}

async function call(path: string, sub: string, iss?: string): Promise<{ status: number; user: unknown; ms: number }> {
  const started = Date.now();
  const jwt = await token(rsa, { sub }, iss === undefined ? {} : { iss });
  const r = await request(`${proxy.url}${path}`, { headers: { authorization: `Bearer ${jwt}`, 'x-user-id': 'forged' } });
  const user = r.status === 200 ? (JSON.parse(r.text) as { headers: Record<string, unknown> }).headers['x-user-id'] : undefined;
  return { status: r.status, user, ms: Date.now() - started };
}

describe('a hostile JWKS endpoint', () => {
  it('gets valid tokens a prompt 401, is read no further than the cap, and recovers once it serves good keys', async () => {
    // the filters fetched their keys when the routes were built; let every fetch end
    await sleep(TIMEOUT_MS + 100);
    const before = await Promise.all(names.map(async (n) => [n, await call(`/one/${encodeURIComponent(n)}`, `before-${n}`)] as const));
    const wrong = before
      .filter(([n, r]) => (SEVERAL.includes(n) ? r.status !== 200 || r.user !== `before-${n}` : r.status !== 401 || !prompt(n, r.ms)))
      .map(([n, r]) => ({ n, ...r }));
    expect(wrong).toEqual([]);
    // an endless body is cut once the cap is read, not at the timeout; what was written beyond
    // the cap is what socket buffers held (Linux lets a receive buffer grow to 32 MiB)
    expect(keys.closedAfter.get('endless')).toBeLessThan(ANSWER_TIMEOUT_MS / 2);
    expect(keys.bytes.get('endless')).toBeGreaterThan(CAP);
    expect(keys.bytes.get('endless')).toBeLessThan(48 * CAP);

    for (const n of names) keys.behaviour.set(n, 'good');
    await sleep(COOLDOWN_MS + 20);
    const after = await oneByOne(names, (n) => call(`/one/${encodeURIComponent(n)}`, `after-${n}`));
    const stuck = after.filter(([n, r]) => r.status !== 200 || r.user !== `after-${n}`).map(([n, r]) => ({ n, ...r }));
    expect(stuck).toEqual([]);
    expect(troubles).toEqual([]);
  }, 15_000);

  it('a hostile OpenID discovery document: a prompt 401, then valid tokens pass once it is repaired', async () => {
    await sleep(TIMEOUT_MS + 100);
    expect(docs.length).toBeGreaterThan(10);
    const iss = (n: string): string => `${keys.url}/o/${n}`;
    const before = await Promise.all(docs.map(async (n) => [n, await call(`/oidc/${n}`, `before-${n}`, iss(n))] as const));
    expect(before.filter(([n, r]) => r.status !== 401 || !prompt(n, r.ms)).map(([n, r]) => ({ n, ...r }))).toEqual([]);
    for (const n of docs) keys.behaviour.set(`o/${n}`, 'o/good');
    await sleep(COOLDOWN_MS + 20);
    const after = await oneByOne(docs, (n) => call(`/oidc/${n}`, `after-${n}`, iss(n)));
    expect(after.filter(([n, r]) => r.status !== 200 || r.user !== `after-${n}`).map(([n, r]) => ({ n, ...r }))).toEqual([]);
    expect(troubles).toEqual([]);
  });

  it('random sequences of answers: once loaded, good keys survive every failed fetch', async () => {
    // endpoints whose fetch fails and whose set holds no usable key: either way the keys in use stay
    const failing = ['html', 'truncated', 'array', 'keys-object', 'keys-string', 'keys-scalars', 'huge-declared', 'huge-chunked', 'endless', '500', '404', '302', 'reset', 'hang', 'hang-body', 'short-body'];
    const useless = ['empty', 'wrong-kty', 'wrong-alg', 'wrong-crv', 'number-kid', 'oct', 'no-n', 'number-n', 'garbage-n', 'private'];
    const sequences = fc.sample(fc.array(fc.constantFrom('good', 'good', ...SEVERAL, ...WEAK_BESIDE_OTHER, ...failing, ...useless), { minLength: 4, maxLength: 8 }), { numRuns: SEQUENCES, seed: 2026 });
    const problems: unknown[] = [];
    await Promise.all(
      sequences.map(async (steps, i) => {
        const name = `seq-${i}`;
        // the state the filter should be in: keys that verify, or none
        let usable = (await call(`/seq/${i}`, 'start')).status === 200;
        if (!usable) problems.push({ i, step: -1, why: 'the good set did not load' });
        for (const [step, b] of steps.entries()) {
          keys.behaviour.set(name, b);
          await sleep(COOLDOWN_MS + 20);
          const fetchesBefore = keys.fetches.get(name) ?? 0;
          // a token with a kid the set does not hold makes the filter fetch now (after the cooldown)
          const probe = await request(`${proxy.url}/seq/${i}`, { headers: { authorization: `Bearer ${await token(rsa, { sub: 'x' }, { kid: 'rotated-in' })}` } });
          if (probe.status !== 401) problems.push({ i, step, b, why: `unknown kid: ${probe.status}` });
          if ((keys.fetches.get(name) ?? 0) === fetchesBefore) problems.push({ i, step, b, why: 'no fetch for an unknown kid after the cooldown' });
          if (b === 'good' || SEVERAL.includes(b)) usable = true;
          else if (WEAK_BESIDE_OTHER.includes(b)) usable = false;
          const r = await call(`/seq/${i}`, `seq-${i}-${step}`);
          const want = usable ? 200 : 401;
          if (r.status !== want) problems.push({ i, step, b, why: `valid token: ${r.status}, wanted ${want}` });
        }
      }),
    );
    expect(problems).toEqual([]);
    expect(troubles).toEqual([]);
  }, 15_000);
});
