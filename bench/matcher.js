// Route-table micro-benchmark: build time and lookup ns/op (p50 over batches) for tables of
// 10, 10,000 and 100,000 routes, for hits and misses, and the 100k/10 lookup ratio (flat is the
// goal). Routes mix exact hosts (Ingress-shaped Host regexps), hostless routes, Path and
// PathSubtree of 2-6 segments, some `:params`, some Header and Method conditions.
//
// Lookups cycle through two request sets: a hot one (64 requests, stays in the CPU caches: the
// algorithmic cost) and a spread one (1,024 requests over the whole table: adds the cache misses
// of a table bigger than the caches, and on a shared machine the noise of its neighbours).
// Run after `npm run build`:  node bench/matcher.js [--batches 25] [--batch 20000]
import { buildTable } from '../dist/src/routing/build.js';
import { Registry } from '../dist/src/registry.js';
import { builtinPredicates } from '../dist/src/predicates/index.js';
import { compileBackend } from '../dist/src/backend/compile.js';
import { exactHostRegexp } from '../dist/src/routing/host-pattern.js';
import { IncomingRequestView } from '../dist/src/proxy/request-view.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const BATCHES = arg('batches', 25);
const BATCH = arg('batch', 20000);
const SIZES = process.env.SIZES ? process.env.SIZES.split(",").map(Number) : [10, 10_000, 100_000];
const HOT = 64;
const SPREAD = 1024;

// seeded, so every run measures the same tables
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['api', 'v1', 'v2', 'users', 'orders', 'items', 'search', 'static', 'img', 'cart', 'admin', 'health', 'docs', 'feed', 'auth'];

function makeRoutes(n, random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const hostCount = Math.max(1, Math.floor(n / 20));
  const routes = [];
  const shapes = [];
  for (let i = 0; i < n; i++) {
    const hostless = random() < 0.2;
    const host = hostless ? null : `svc${Math.floor(random() * hostCount)}.example.org`;
    const depth = 2 + Math.floor(random() * 5);
    const segments = [];
    for (let d = 0; d < depth; d++) segments.push(random() < 0.15 && d > 0 ? `:p${d}` : `${pick(WORDS)}${i % 97}`);
    const subtree = random() < 0.4;
    const path = '/' + segments.join('/');
    const predicates = [];
    if (host !== null) predicates.push({ name: 'Host', args: [exactHostRegexp([host])] });
    predicates.push({ name: subtree ? 'PathSubtree' : 'Path', args: [path] });
    const header = random() < 0.15 ? { key: 'X-Tenant', value: `t${i % 13}` } : null;
    if (header !== null) predicates.push({ name: 'Header', args: [header.key, header.value] });
    const method = random() < 0.1 ? 'POST' : null;
    if (method !== null) predicates.push({ name: 'Method', args: [method] });
    routes.push({ id: `r${i}`, predicates, filters: [], backend: { type: 'network', address: 'http://127.0.0.1:8080' } });
    shapes.push({ host, segments, subtree, header, method });
  }
  return { routes, shapes };
}

function view(host, path, headers = {}, method = 'GET') {
  return new IncomingRequestView({
    method,
    host,
    rawPath: path,
    rawQuery: '',
    headers: { host, ...headers },
    remoteAddress: '10.0.0.1',
    clientIp: '10.0.0.1',
  });
}

function hitRequests(shapes, random, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const s = shapes[Math.floor(random() * shapes.length)];
    const path = '/' + s.segments.map((seg) => (seg.startsWith(':') ? `x${i}` : seg)).join('/') + (s.subtree ? '/deeper/still' : '');
    const headers = s.header === null ? {} : { 'x-tenant': s.header.value };
    out.push(view(s.host ?? 'any.example.net', path, headers, s.method ?? 'GET'));
  }
  return out;
}

function missRequests(shapes, random, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const s = shapes[Math.floor(random() * shapes.length)];
    // half on a known host with an unknown path, half on an unknown host
    const host = i % 2 === 0 && s.host !== null ? s.host : `unknown${i}.example.com`;
    out.push(view(host, `/nothing/here/${i}`));
  }
  return out;
}

function p50NsPerOp(table, requests, expectMatch) {
  const samples = [];
  let sink = 0;
  for (let b = 0; b < BATCHES + 3; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) {
      const m = table.lookup(requests[i & (requests.length - 1)]);
      if (m !== null) sink++;
    }
    const ns = Number(process.hrtime.bigint() - start) / BATCH;
    if (b >= 3) samples.push(ns); // the first batches warm the JIT
  }
  const expected = expectMatch ? (BATCHES + 3) * BATCH : 0;
  if (sink !== expected) throw new Error(`expected ${expected} matches, got ${sink}`);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const deps = { predicates: new Registry(builtinPredicates()), filters: new Registry([]), compileBackend };
const results = [];
for (const n of SIZES) {
  const random = rng(42 + n);
  const { routes, shapes } = makeRoutes(n, random);
  const started = process.hrtime.bigint();
  const table = buildTable(routes, deps);
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (table.invalid.length > 0) throw new Error(`invalid routes: ${JSON.stringify(table.invalid.slice(0, 3))}`);
  const result = { routes: n, buildMs };
  for (const [name, count] of [['hot', HOT], ['spread', SPREAD]]) {
    const hits = hitRequests(shapes, random, count);
    const misses = missRequests(shapes, random, count);
    for (const r of hits) if (table.lookup(r) === null) throw new Error(`hit request did not match: ${r.host}${r.path}`);
    result[`${name}Hit`] = p50NsPerOp(table, hits, true);
    result[`${name}Miss`] = p50NsPerOp(table, misses, false);
  }
  results.push(result);
}

const cols = ['hotHit', 'hotMiss', 'spreadHit', 'spreadMiss'];
console.log('lookup ns/op, p50 over batches');
console.log('routes    build ms    hot hit   hot miss   spread hit   spread miss');
for (const r of results) {
  const cells = cols.map((c, i) => r[c].toFixed(0).padStart([9, 10, 12, 13][i]));
  console.log(`${String(r.routes).padStart(6)}  ${r.buildMs.toFixed(1).padStart(9)}  ${cells.join(' ')}`);
}
const small = results[0];
const large = results[results.length - 1];
const ratios = cols.map((c) => `${c} ${(large[c] / small[c]).toFixed(2)}x`).join(', ');
console.log(`ratio ${large.routes}/${small.routes}: ${ratios}`);
console.log(
  `targets: ${large.routes}-route lookup p50 <= 1000 ns (hot hit ${large.hotHit.toFixed(0)}, spread hit ${large.spreadHit.toFixed(0)}), ` +
    `build <= 2000 ms (${large.buildMs.toFixed(0)} ms)`,
);
