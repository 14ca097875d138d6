// Soak: skiff (the built dist/, one process) under steady load for a bounded time while
// everything around it moves: the routes file is rewritten (route churn), load-balanced
// endpoint sets change (endpoint churn), backends are killed and restarted, and a JWKS server
// rotates its signing key under a jwtClaimToHeader route. The script samples the skiff process's
// RSS and open file descriptors from /proc and reports, after warm-up: the RSS slope and growth,
// the fd count at rest before and after the load (under load it follows concurrency), the error
// rate (inside and outside the injected faults) and p99 per window. It exits 1 when a threshold
// is crossed (see THRESHOLDS), 2 when it could not run at all.
//
//   npm run build && node bench/soak.js                 # 10 minutes
//   node bench/soak.js --minutes 3 --rps 600            # shorter, lighter
//
// Everything runs on 127.0.0.1 and stops by itself. Linux only (/proc).
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { freePort } from './lib/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

// A backend process (forked from this script): 64-byte answers, keep-alive 5 s, so that idle
// upstream connections close soon after the load stops and the final fd count can be compared
// with the one before the load.
if (process.argv.includes('--backend')) {
  const body = Buffer.alloc(64, 'x');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.argv[process.argv.indexOf('--backend') + 1]), '127.0.0.1', () => process.send({ ready: true }));
  process.on('disconnect', () => process.exit(0));
  await new Promise(() => undefined);
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const minutes = option('minutes', 10);
const rps = option('rps', 800);
const durationMs = minutes * 60_000;
// Scaled from the nightly plan (churn 5 s, JWKS 2 min, restarts 3 min over 30 min).
const routeChurnMs = 5_000;
const jwksRotationMs = Math.max(30_000, Math.min(120_000, durationMs / 5));
const backendRestartMs = Math.max(30_000, Math.min(180_000, durationMs / 5));
const warmupMs = Math.min(60_000, durationMs * 0.25);
const sampleMs = 2_000;
const windowMs = 30_000;

/** Thresholds (per reliability plan item 37, with floors that keep short runs from flagging noise). */
const THRESHOLDS = {
  // RSS growth extrapolated to 10 minutes AND measured growth between the first and last minute.
  rssSlopeMiBPer10Min: 5,
  rssGrowthMiB: 8,
  // Open descriptors once the load has stopped and idle connections have closed, against the
  // count before the load started (under load the count follows concurrency, not leaks).
  fdDriftAtRest: 5,
  errorRateOutsideFaults: 0.0001, // 0.01 %
  // Median per-window p99 of the second half against the first half: robust to a passing
  // spike on a shared machine, not to a steady climb.
  p99Factor: 2,
  p99FloorMs: 5,
};
const restMs = 12_000;

if (process.platform !== 'linux') {
  console.error('soak: needs Linux (/proc)');
  process.exit(2);
}
if (!existsSync(join(root, 'dist/src/cli/main.js'))) {
  console.error('soak: build first (npm run build)');
  process.exit(2);
}

const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

// --- backends ------------------------------------------------------------------------------

const backendPorts = [await freePort(), await freePort(), await freePort(), await freePort()];
const backends = new Map();

async function startBackend(port) {
  const child = fork(self, ['--backend', String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await once(child, 'message');
  backends.set(port, child);
}

function killBackend(port) {
  backends.get(port)?.kill('SIGKILL');
  backends.delete(port);
}

for (const p of backendPorts) await startBackend(p);

// --- JWKS with key rotation ----------------------------------------------------------------

const keys = [];
let signing = null;
let keyGeneration = 0;

async function newKey() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k${++keyGeneration}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, jwk, privateKey };
}

async function tokenFor(key) {
  return new SignJWT({ sub: 'soak-user' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer('soak')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(key.privateKey);
}

let token = '';
let jwksFetches = 0;
const jwksServer = http.createServer((req, res) => {
  jwksFetches++;
  const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((r) => jwksServer.listen(0, '127.0.0.1', r));
const jwksPort = jwksServer.address().port;
signing = await newKey();
keys.push(signing);
token = await tokenFor(signing);

/**
 * Rotation as an operator does it: publish the new key next to the old one, wait past the
 * proxy's refresh interval, switch the clients to tokens of the new key, and retire the old key
 * one rotation later.
 */
async function rotateKey() {
  const next = await newKey();
  keys.push(next);
  while (keys.length > 2) keys.shift();
  log(`jwks: published ${next.kid}`);
  await sleep(7_000);
  signing = next;
  token = await tokenFor(next);
  log(`jwks: clients now sign with ${next.kid}`);
}

// --- routes, with churn ---------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'skiff-soak-'));
const routesFile = join(dir, 'routes.eskip');
let routeGeneration = 0;

function routesText() {
  const g = routeGeneration;
  // Endpoint churn: the load-balanced set gains and loses the fourth backend, and rotates.
  const set = backendPorts.slice(0, g % 2 === 0 ? 3 : 4);
  const rotated = [...set.slice(g % set.length), ...set.slice(0, g % set.length)];
  const lb = `<roundRobin, ${rotated.map((p) => `"http://127.0.0.1:${p}"`).join(', ')}>`;
  const churn = [];
  for (let i = 0; i < 50; i++) churn.push(`churn_${g}_${i}: Path("/churn/${g}/${i}") -> setRequestHeader("X-Gen", "${g}") -> "http://127.0.0.1:${backendPorts[i % 3]}";`);
  return [
    `plain: Path("/plain") -> ${lb};`,
    `jwt: Path("/jwt") -> jwtClaimToHeader("jwks=http://127.0.0.1:${jwksPort}/keys issuer=soak jwksRefresh=5s jwksCooldown=1s", "sub", "X-User") -> ${lb};`,
    `slow: Path("/limited") -> maxBodySize("64KB") -> consecutiveBreaker(50, "5s") -> ${lb};`,
    ...churn,
  ].join('\n');
}

async function writeRoutes() {
  // Write-then-rename: the watcher never reads a half-written file.
  const tmp = `${routesFile}.tmp`;
  await writeFile(tmp, routesText());
  await rename(tmp, routesFile);
}

await writeRoutes();

// --- skiff ------------------------------------------------------------------------------------

const proxyPort = await freePort();
const supportPort = await freePort();
const skiff = spawn(
  process.execPath,
  [join(root, 'bin/skiff.js'), '--workers', '1', '--log-level', 'error', '--address', `127.0.0.1:${proxyPort}`, '--support-address', `127.0.0.1:${supportPort}`, '--routes-file', routesFile],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
let skiffExit = null;
skiff.on('exit', (code, signal) => (skiffExit = { code, signal }));
for (let i = 0; ; i++) {
  try {
    const r = await fetch(`http://127.0.0.1:${supportPort}/readyz`);
    if (r.status === 200) break;
  } catch {}
  if (i > 150 || skiffExit !== null) {
    console.error('soak: skiff did not become ready');
    await cleanup();
    process.exit(2);
  }
  await sleep(100);
}
await sleep(1000);
const fdsAtRestBefore = readdirSync(`/proc/${skiff.pid}/fd`).length;
log(`skiff pid ${skiff.pid} on :${proxyPort}; ${minutes} min at ${rps} req/s; warm-up ${warmupMs / 1000} s; ${fdsAtRestBefore} fds at rest`);

// --- load ---------------------------------------------------------------------------------------

const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
const faults = []; // [start, end] windows around injected faults
const windows = new Map(); // window index → { latencies, ok, errors, errorsOutside }
let inFlight = 0;
let dropped = 0;

function windowOf(at) {
  const i = Math.floor((at - t0) / windowMs);
  let w = windows.get(i);
  if (w === undefined) windows.set(i, (w = { latencies: [], ok: 0, errors: 0, errorsOutside: 0, codes: {} }));
  return w;
}

function inFault(at) {
  return faults.some(([a, b]) => at >= a && at <= b);
}

async function one(n) {
  const kind = n % 10;
  const path = kind < 5 ? '/plain' : kind < 8 ? '/jwt' : kind < 9 ? `/churn/${routeGeneration}/${n % 50}` : '/limited';
  const headers = kind >= 5 && kind < 8 ? { authorization: `Bearer ${token}` } : {};
  const start = performance.now();
  const at = Date.now();
  let status = 0;
  try {
    const res = await request(`http://127.0.0.1:${proxyPort}${path}`, {
      dispatcher: agent,
      method: kind === 9 ? 'POST' : 'GET',
      headers,
      body: kind === 9 ? 'x'.repeat(1024) : undefined,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    status = res.statusCode;
    await res.body.dump();
  } catch {
    status = -1;
  }
  const w = windowOf(at);
  w.latencies.push(performance.now() - start);
  // A churn route may be requested just as the table swaps: its 404 is the churn, not a fault.
  if (status === 200 || (status === 404 && path.startsWith('/churn/'))) w.ok++;
  else {
    w.errors++;
    w.codes[status] = (w.codes[status] ?? 0) + 1;
    if (!inFault(at)) w.errorsOutside++;
  }
}

let sent = 0;
let running = true;
const tickMs = 10;
let carry = 0;
const loadTimer = setInterval(() => {
  if (!running) return;
  carry += (rps * tickMs) / 1000;
  while (carry >= 1) {
    carry--;
    if (inFlight >= 256) {
      dropped++; // the proxy is not keeping up: count it rather than queue without bound
      continue;
    }
    inFlight++;
    one(sent++).finally(() => inFlight--);
  }
}, tickMs);

// --- churn and faults ---------------------------------------------------------------------------

const timers = [];
timers.push(
  setInterval(() => {
    routeGeneration++;
    writeRoutes().catch((err) => log(`routes write failed: ${err.message}`));
  }, routeChurnMs),
);
timers.push(
  setInterval(() => {
    faults.push([Date.now(), Date.now() + 12_000]);
    rotateKey().catch((err) => log(`rotation failed: ${err.message}`));
  }, jwksRotationMs),
);
let restartIndex = 0;
timers.push(
  setInterval(async () => {
    const port = backendPorts[restartIndex++ % 3];
    const at = Date.now();
    faults.push([at, at + 3_000]);
    killBackend(port);
    log(`backend :${port} killed`);
    await sleep(500);
    await startBackend(port);
    log(`backend :${port} back`);
  }, backendRestartMs),
);

// --- sampling -------------------------------------------------------------------------------------

const samples = []; // { at, rssKiB, fds }
function sample() {
  try {
    const status = readFileSync(`/proc/${skiff.pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const fds = readdirSync(`/proc/${skiff.pid}/fd`).length;
    samples.push({ at: Date.now(), rssKiB, fds });
  } catch {
    // the process is gone: reported below
  }
}
sample();
timers.push(setInterval(sample, sampleMs));
timers.push(
  setInterval(() => {
    const s = samples.at(-1);
    const w = windows.get(Math.floor((Date.now() - t0) / windowMs) - 1);
    if (s !== undefined && w !== undefined) {
      log(`rss ${(s.rssKiB / 1024).toFixed(1)} MiB, fds ${s.fds}, last window: ${w.ok + w.errors} req, ${w.errors} errors, p99 ${percentile(w.latencies, 0.99).toFixed(1)} ms`);
    }
  }, windowMs),
);

// --- run, then report -----------------------------------------------------------------------------

const deadline = t0 + durationMs;
while (Date.now() < deadline && skiffExit === null) await sleep(500);
running = false;
clearInterval(loadTimer);
for (const t of timers) clearInterval(t);
for (let i = 0; i < 100 && inFlight > 0; i++) await sleep(100);
sample();
// Rest: client connections closed, backends' keep-alive (5 s) lets the upstream pools empty.
await agent.close().catch(() => undefined);
await sleep(restMs);
const fdsAtRestAfter = skiffExit === null ? readdirSync(`/proc/${skiff.pid}/fd`).length : NaN;

const report = analyse();
console.log(JSON.stringify(report, null, 2));
await cleanup();
process.exit(report.pass ? 0 : 1);

function analyse() {
  const afterWarmup = samples.filter((s) => s.at - t0 >= warmupMs);
  const slope = regressionSlope(afterWarmup.map((s) => [(s.at - t0) / 60_000, s.rssKiB / 1024])); // MiB per minute
  const minuteOf = (list) => list.filter((s) => s.at - list[0].at < 60_000);
  const firstMinute = afterWarmup.length > 0 ? minuteOf(afterWarmup) : [];
  const lastMinute = afterWarmup.filter((s) => afterWarmup.at(-1).at - s.at < 60_000);
  const avg = (list, f) => list.reduce((n, s) => n + f(s), 0) / Math.max(1, list.length);
  const rssGrowthMiB = (avg(lastMinute, (s) => s.rssKiB) - avg(firstMinute, (s) => s.rssKiB)) / 1024;
  const fdDriftUnderLoad = avg(lastMinute, (s) => s.fds) - avg(firstMinute, (s) => s.fds);
  const fdDriftAtRest = fdsAtRestAfter - fdsAtRestBefore;
  const all = [...windows.entries()].sort((a, b) => a[0] - b[0]);
  const measured = all.filter(([i]) => i * windowMs >= warmupMs && (i + 1) * windowMs <= durationMs);
  const p99s = measured.map(([i, w]) => ({ window: i, p99: percentile(w.latencies, 0.99), requests: w.ok + w.errors }));
  const half = Math.floor(p99s.length / 2);
  const firstP99 = median(p99s.slice(0, Math.max(1, half)).map((p) => p.p99));
  const lateP99 = median(p99s.slice(half).map((p) => p.p99));
  const total = all.reduce((n, [, w]) => n + w.ok + w.errors, 0);
  const errors = all.reduce((n, [, w]) => n + w.errors, 0);
  const errorsOutside = all.reduce((n, [, w]) => n + w.errorsOutside, 0);
  const codes = {};
  for (const [, w] of all) for (const [c, n] of Object.entries(w.codes)) codes[c] = (codes[c] ?? 0) + n;
  const rssSlope10 = slope * 10;
  const checks = {
    processStayedUp: skiffExit === null,
    rss: !(rssSlope10 > THRESHOLDS.rssSlopeMiBPer10Min && rssGrowthMiB > THRESHOLDS.rssGrowthMiB),
    fds: fdDriftAtRest <= THRESHOLDS.fdDriftAtRest,
    errorRate: total > 0 && errorsOutside / total <= THRESHOLDS.errorRateOutsideFaults,
    p99: lateP99 <= Math.max(firstP99 * THRESHOLDS.p99Factor, firstP99 + THRESHOLDS.p99FloorMs),
  };
  return {
    minutes,
    targetRps: rps,
    achievedRps: Math.round(total / (durationMs / 1000)),
    requests: total,
    droppedByLoadGenerator: dropped,
    errors,
    errorsOutsideFaults: errorsOutside,
    errorRateOutsideFaults: total === 0 ? null : errorsOutside / total,
    errorStatuses: codes,
    rssMiB: { start: samples[0] && round(samples[0].rssKiB / 1024), afterWarmup: firstMinute[0] && round(firstMinute[0].rssKiB / 1024), end: samples.at(-1) && round(samples.at(-1).rssKiB / 1024), slopePer10Min: round(rssSlope10), growthFirstToLastMinute: round(rssGrowthMiB) },
    fds: { atRestBefore: fdsAtRestBefore, atRestAfter: fdsAtRestAfter, driftAtRest: fdDriftAtRest, underLoadFirstMinute: round(avg(firstMinute, (s) => s.fds)), underLoadLastMinute: round(avg(lastMinute, (s) => s.fds)), driftUnderLoad: round(fdDriftUnderLoad), max: Math.max(...samples.map((s) => s.fds)) },
    p99Ms: { perWindow: p99s.map((p) => round(p.p99)), firstHalfMedian: round(firstP99), secondHalfMedian: round(lateP99) },
    routeGenerations: routeGeneration,
    jwksRotations: keyGeneration - 1,
    jwksFetches,
    backendRestarts: restartIndex,
    skiffExit,
    thresholds: THRESHOLDS,
    checks,
    pass: Object.values(checks).every(Boolean),
  };
}

async function cleanup() {
  skiff.kill('SIGTERM');
  await Promise.race([once(skiff, 'exit'), sleep(3000)]);
  skiff.kill('SIGKILL');
  for (const p of [...backends.keys()]) killBackend(p);
  jwksServer.close();
  await agent.destroy().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

function percentile(values, q) {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function regressionSlope(points) {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

function round(x) {
  return Math.round(x * 100) / 100;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
