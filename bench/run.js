// The benchmark suite: `npm run bench`. Every figure is measured in this one run, beside the
// baselines it is compared to, and reported as Markdown tables of ratios; on a shared machine an
// absolute req/s means little, a ratio measured in the same minute means a lot.
//
// Fixed parameters (flags below only shorten or select):
//   backend      nginx serving 13 B on every path and 64 KiB on /64k, one process (node:http from
//                bench/lib/backend.js when nginx is not installed; the output says which)
//   targets      direct to the backend; bare undici proxy (bench/lib/bare-proxy.js); node:http
//                proxy and @fastify/http-proxy (bench/peers); nginx and HAProxy as proxies when
//                installed, one process each (bench/peers/*.conf|cfg); skiff from dist/ with
//                1,000 routes, Prometheus metrics on, X-Forwarded-For appended (the default),
//                `--workers 1` and `--workers 2`
//   load         autocannon, 50 connections, no pipelining (10 connections for the upload), in a
//                process of its own; each measured run is 5 s after a 1 s warm-up of the same target
//   rounds       2: the targets in order, then in reverse (A B C … C B A), so drift on the machine
//                falls on every target alike; every figure is the median over the rounds (with 2
//                rounds, the mean of the two)
//   latency      2,000 req/s open loop (bench/lib/fixed-rate.js), below saturation, 6 s runs and
//                3 rounds: one stall of a shared machine inside a run can make its p99, and the
//                median of three leaves such a run out
//   workers      skiff ×1 against ×2 with the load generator pinned to CPU 1 (taskset), 3 rounds
// Scenarios: small GET, 64 KiB response, 1 MiB upload, 10 / 1,000 / 10,000 routes, a
// jwtClaimToHeader route against the same route without it, latency at a fixed rate, workers.
// CPU µs/req is the target's own CPU time (its process tree, from /proc) per request served.
//
// Usage: npm run bench [-- --quick] [--duration S] [--rounds N] [--only small,64k,upload,routes,jwt,latency,workers]
//                      [--latency-duration S] [--json FILE] [--build] [--without nginx,haproxy]
//   --quick     2 s runs, 1 round (latency and workers 2), 4 s latency runs: about 3 minutes, not 9
//   --build     run `npm run build` first (otherwise dist/ is built only when it is missing)
//   --without   leave out nginx and/or HAProxy as if not installed (nginx: node:http backend too)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkServer, freePort, startLoadGenerator, startSkiffProcess } from './lib/processes.js';
import { commandPath, startHaproxy, startNginx } from './lib/native.js';
import { treeCpuSeconds } from './lib/cpu.js';
import { benchIssuer, claims } from './lib/jwt-issuer.js';
import { fixed, markdownTable, median, ms, ratio, thousands } from './lib/report.js';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = flag('quick');
const duration = Number(option('duration') ?? (quick ? 2 : 5));
const rounds = Number(option('rounds') ?? (quick ? 1 : 2));
const latencyDuration = Number(option('latency-duration') ?? (quick ? 4 : 6));
const latencyRounds = rounds + 1;
const workerRounds = rounds + 1;
const warmup = 1;
const connections = 50;
const uploadConnections = 10;
const uploadBytes = 1 << 20;
const fixedRateRps = 2000;
const only = option('only')?.split(',');
const wanted = (key) => only === undefined || only.includes(key);

const BARE = 'bare undici proxy';
const FASTIFY = '@fastify/http-proxy';
const SKIFF1 = 'skiff ×1 (1,000 routes)';
const SKIFF2 = 'skiff ×2 (1,000 routes)';

// --- dist/ -------------------------------------------------------------------------------------

const newestMtime = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
};
const distEntry = join(root, 'dist/src/cli/main.js');
if (flag('build') || !existsSync(distEntry)) {
  console.log(existsSync(distEntry) ? 'building (--build): npm run build' : 'dist/ is missing: running npm run build');
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(distEntry)) {
    console.error('the build failed; bench/run.js measures the compiled code in dist/');
    process.exit(1);
  }
} else if (Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'filters'))) > statSync(distEntry).mtimeMs) {
  console.log('note: some .ts files are newer than dist/; pass --build to measure the current source');
}

// --- processes ---------------------------------------------------------------------------------

const running = [];
const track = (p) => {
  running.push(p);
  return p;
};
const stopAll = () => {
  for (const p of running.splice(0)) {
    try {
      p.stop();
    } catch {}
  }
};
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const loadAverage = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');
const started = Date.now();
const header = [
  `skiff benchmark suite, ${new Date().toISOString()}`,
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average at start ${loadAverage()}`,
  `runs: ${duration} s after a ${warmup} s warm-up, ${rounds} round(s) A…Z then Z…A, medians; ${connections} connections (upload ${uploadConnections})`,
];
console.log(header.join('\n'));

// --without nginx,haproxy runs as if they were not installed (node backend, no native peers)
const without = option('without')?.split(',') ?? [];
const nginxPath = without.includes('nginx') ? null : commandPath('nginx');
const haproxyPath = without.includes('haproxy') ? null : commandPath('haproxy');
const tasksetPath = commandPath('taskset');

let backend;
if (nginxPath !== null) {
  backend = track(await startNginx('bench/lib/nginx-backend.conf', { port: await freePort(), files: { '64k.bin': Buffer.alloc(65536, 'x'), upload: '' } }));
  backend.kind = `nginx (${nginxPath}), one process`;
} else {
  const b = track(await forkServer('bench/lib/backend.js', ['0', '13', '/64k=65536']));
  backend = { ...b, pid: b.child.pid, kind: 'node:http (bench/lib/backend.js), one process' };
}
const origin = `http://127.0.0.1:${backend.port}`;
console.log(`backend: ${backend.kind}, ${origin}${nginxPath === null ? ' (nginx would take less CPU from the targets)' : ''}`);

// The Node peers run with the node flag skiff runs with (see bin/skiff.js), so that no row owes
// its figure to a runtime setting another did not get.
const fork = async (script, args) => {
  const s = track(await forkServer(script, args, ['--no-memory-reducer']));
  return { port: s.port, pid: s.child.pid };
};
const proxies = {
  [BARE]: await fork('bench/lib/bare-proxy.js', ['0', origin]),
  'node:http proxy': await fork('bench/peers/node-http-proxy.js', ['0', origin]),
  [FASTIFY]: await fork('bench/peers/fastify-proxy.js', ['0', origin]),
};
if (nginxPath !== null) {
  const n = track(await startNginx('bench/peers/nginx-proxy.conf', { port: await freePort(), upstream: `127.0.0.1:${backend.port}` }));
  proxies['nginx proxy'] = { port: n.port, pid: n.pid };
} else console.log('nginx is not installed: no nginx row (apt-get install nginx-light)');
if (haproxyPath !== null) {
  const h = track(await startHaproxy('bench/peers/haproxy.cfg', { port: await freePort(), upstream: `127.0.0.1:${backend.port}` }));
  proxies.haproxy = { port: h.port, pid: h.pid };
} else console.log('haproxy is not installed: no HAProxy row');

// JWT: an RS256 key made now, its JWKS served from here on loopback (skiff fetches it once and
// caches it), a valid token sent on every request of the JWT scenario.
const { jwks, token } = await benchIssuer();
const keyServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
await new Promise((r) => keyServer.listen(0, '127.0.0.1', r));
track({ stop: () => keyServer.close() });
const jwtConfig = `jwks=http://127.0.0.1:${keyServer.address().port}/keys ${claims}`;

/**
 * A routes file of `count` routes: host-indexed filler routes for other services, the bench
 * host's catch-all, and (withJwt) a /jwt subtree on the bench host behind jwtClaimToHeader.
 */
const dir = mkdtempSync(join(os.tmpdir(), 'skiff-bench-run-'));
const routesFile = (count, withJwt) => {
  const own = [`target: Host(/^bench[.]example[.]org$/) && PathSubtree("/") -> "${origin}";`];
  if (withJwt) own.push(`jwt: Host(/^bench[.]example[.]org$/) && PathSubtree("/jwt") -> jwtClaimToHeader("${jwtConfig}", "sub", "X-User-Id", "org.team", "X-Team") -> "${origin}";`);
  const lines = [];
  for (let i = 0; i < count - own.length; i++) lines.push(`r${i}: Host(/^svc${i}[.]example[.]org$/) && PathSubtree("/api/v${i % 7}/items") -> "${origin}";`);
  const file = join(dir, `routes-${count}${withJwt ? '-jwt' : ''}.eskip`);
  writeFileSync(file, [...lines, ...own].join('\n'));
  return file;
};
// Metrics on: through the command line when it has --metrics, else through the launcher, which
// parses the same options and wires the metrics observer itself.
const { optionSpecs } = await import('../dist/src/cli/options.js');
const cliHasMetrics = optionSpecs.some((o) => o.name === 'metrics');
const skiffScript = cliHasMetrics ? 'bin/skiff.js' : 'bench/lib/skiff-launcher.js';
const skiffFlags = [...(cliHasMetrics ? ['--metrics', 'true'] : []), '--xff', 'append'];
console.log(
  cliHasMetrics
    ? `skiff: bin/skiff.js ${skiffFlags.join(' ')} (dist/ built ${statSync(distEntry).mtime.toISOString()})`
    : `skiff: bench/lib/skiff-launcher.js ${skiffFlags.join(' ')}, the command line with Prometheus metrics wired in (this dist/ has no --metrics option)`,
);
const startSkiff = async (count, workers, withJwt = false) => {
  const [port, support] = [await freePort(), await freePort()];
  const args = ['--routes-file', routesFile(count, withJwt), '--address', `127.0.0.1:${port}`, '--support-address', `127.0.0.1:${support}`, '--workers', String(workers), ...skiffFlags];
  const s = track(await startSkiffProcess(args, support, { script: skiffScript }));
  return { port, support, pid: s.child.pid };
};
const skiffs = {
  [SKIFF1]: await startSkiff(1000, 1, true),
  [SKIFF2]: await startSkiff(1000, 2, true),
};
if (wanted('routes')) {
  skiffs['skiff ×1, 10 routes'] = await startSkiff(10, 1);
  skiffs['skiff ×1, 10,000 routes'] = await startSkiff(10_000, 1);
}

const hostHeader = { host: 'bench.example.org' };
/** Every target by name: where to send, whose CPU to count. */
const targets = { direct: { port: backend.port, pid: backend.pid }, ...proxies, ...skiffs };

/** One GET's status, 0 on a network error (fetch cannot send a Host header of its own). */
const statusOf = (port, path, headers) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
  });

// The first requests through a fresh worker also wait for its table; every target must answer
// 200 before anything is measured.
for (const [name, t] of Object.entries(targets)) {
  const until = Date.now() + 15_000;
  for (;;) {
    const status = await statusOf(t.port, '/', hostHeader);
    if (status === 200) break;
    if (Date.now() > until) throw new Error(`${name} does not answer 200 (last status ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const loader = track(await startLoadGenerator());

// --- measuring ---------------------------------------------------------------------------------

/** One measured run (after its warm-up) of one target, with the target's CPU per request. */
async function measure(gen, scenario, name) {
  const t = targets[name];
  const path = scenario.pathFor?.(name) ?? scenario.path;
  const job = {
    kind: scenario.rate === undefined ? 'closed' : 'rate',
    url: `http://127.0.0.1:${t.port}${path}`,
    connections: scenario.connections ?? connections,
    headers: scenario.headers ?? hostHeader,
    method: scenario.method ?? 'GET',
    bodySize: scenario.bodySize ?? 0,
    rate: scenario.rate,
  };
  let r;
  let cpu0;
  let watch;
  if (job.kind === 'rate') {
    // the warm-up runs inside the job, on the connections the measurement then uses; CPU is
    // counted over both and divided by both parts' requests
    cpu0 = treeCpuSeconds(t.pid);
    watch = scenario.watch?.map((pid) => treeCpuSeconds(pid));
    r = await gen.run({ ...job, warmup, duration: scenario.duration ?? duration });
  } else {
    await gen.run({ ...job, duration: warmup });
    cpu0 = treeCpuSeconds(t.pid);
    watch = scenario.watch?.map((pid) => treeCpuSeconds(pid));
    r = await gen.run({ ...job, duration: scenario.duration ?? duration });
  }
  const cpu1 = treeCpuSeconds(t.pid);
  const served = job.kind === 'rate' ? r.requests + Math.round(scenario.rate * warmup) : r.requests;
  r.cpuPerRequestUs = cpu0 === null || cpu1 === null || served === 0 ? NaN : ((cpu1 - cpu0) * 1e6) / served;
  r.watchedCpu = scenario.watch?.map((pid, i) => treeCpuSeconds(pid) - watch[i]);
  r.seconds = (scenario.duration ?? duration) + (job.kind === 'rate' ? warmup : 0);
  return r;
}

/** All rounds of a scenario, alternating the order; returns name → list of runs. */
async function runScenario(gen, scenario) {
  const names = scenario.targets.filter((n) => n in targets);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  const count = scenario.rounds ?? rounds;
  for (let round = 0; round < count; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) runs[name].push(await measure(gen, scenario, name));
  }
  return runs;
}

const summaries = {};
/** Medians per target, the ratio columns, and the table. */
function report(scenario, runs, loadBefore) {
  const med = (name, key) => median(runs[name]?.map((r) => r[key]) ?? []);
  const byRate = scenario.rate !== undefined;
  const baselines = scenario.baselines ?? [BARE, FASTIFY];
  const short = { [BARE]: 'bare', [FASTIFY]: 'fastify', [SKIFF1]: 'skiff ×1' };
  const rows = [];
  const summary = {};
  for (const name of Object.keys(runs)) {
    const s = { rps: med(name, 'rps'), p50: med(name, 'p50'), p99: med(name, 'p99'), p999: med(name, 'p999'), cpuUs: med(name, 'cpuPerRequestUs'), errors: runs[name].reduce((a, r) => a + r.errors, 0) };
    // throughput scenarios compare req/s (higher is better); the fixed-rate one compares p99 (lower is better)
    s.ratios = baselines.map((b) => (byRate ? s.p99 / med(b, 'p99') : s.rps / med(b, 'rps')));
    summary[name] = s;
    if (byRate) s.lagMaxMs = med(name, 'lagMaxMs');
    rows.push([name, thousands(s.rps), ms(s.p50), ms(s.p99), ms(s.p999), ...s.ratios.map(ratio), fixed(s.cpuUs, 1), String(s.errors), ...(byRate ? [ms(s.lagMaxMs)] : [])]);
  }
  const what = byRate ? 'p99' : 'req/s';
  const headers = ['target', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', ...baselines.map((b) => `${what} vs ${short[b] ?? b}`), 'CPU µs/req', 'errors', ...(byRate ? ['generator late ms'] : [])];
  console.log(`\n### ${scenario.title}\n`);
  console.log(`${scenario.detail}; load average ${loadBefore} before, ${loadAverage()} after\n`);
  console.log(markdownTable(headers, rows));
  summaries[scenario.key] = { title: scenario.title, summary, runs };
  return summary;
}

const throughputTargets = ['direct', BARE, 'node:http proxy', FASTIFY, 'nginx proxy', 'haproxy', SKIFF1, SKIFF2];
const singleCoreTargets = throughputTargets.filter((n) => n !== SKIFF2);
const runsLabel = (n, secs) => `${n} round(s) of ${secs} s runs`;
const scenarios = [
  {
    key: 'small',
    title: 'Small GET (13 B response)',
    detail: `${connections} connections, ${runsLabel(rounds, duration)}`,
    path: '/',
    targets: throughputTargets,
  },
  {
    key: '64k',
    title: '64 KiB response',
    detail: `GET /64k, ${connections} connections, ${runsLabel(rounds, duration)}`,
    path: '/64k',
    targets: singleCoreTargets,
  },
  {
    key: 'upload',
    title: '1 MiB upload',
    detail: `POST of ${uploadBytes.toLocaleString('en-US')} bytes, 13 B answer, ${uploadConnections} connections, ${runsLabel(rounds, duration)}`,
    path: '/upload',
    method: 'POST',
    bodySize: uploadBytes,
    connections: uploadConnections,
    headers: { ...hostHeader, 'content-type': 'application/octet-stream' },
    targets: singleCoreTargets,
  },
  {
    key: 'routes',
    title: 'Route table size (small GET, skiff ×1)',
    detail: `the bench host's route among 10, 1,000 or 10,000 host-indexed routes; ${connections} connections, ${runsLabel(rounds, duration)}`,
    path: '/',
    targets: [BARE, FASTIFY, 'skiff ×1, 10 routes', SKIFF1, 'skiff ×1, 10,000 routes'],
  },
  {
    key: 'jwt',
    title: 'JWT filter (small GET, skiff ×1, 1,000 routes)',
    detail: `a valid RS256 bearer token on every request to every target; skiff's /jwt route runs jwtClaimToHeader (JWKS cached, verified-token cache on, two claims to headers), / has no filter; ${connections} connections, ${runsLabel(rounds, duration)}`,
    headers: { ...hostHeader, authorization: `Bearer ${token}` },
    path: '/',
    pathFor: (name) => (name === 'skiff ×1 + jwtClaimToHeader' ? '/jwt' : '/'),
    targets: [BARE, FASTIFY, SKIFF1, 'skiff ×1 + jwtClaimToHeader'],
    baselines: [BARE, FASTIFY, SKIFF1],
  },
  {
    key: 'latency',
    title: `Latency at a fixed ${fixedRateRps.toLocaleString('en-US')} req/s`,
    detail: `open loop, requests sent on a 1 ms schedule over up to ${connections} keep-alive connections, latency from send to the end of the body; ${runsLabel(latencyRounds, latencyDuration)}; the ratio columns compare p99; "generator late" is how far at most the load generator fell behind its schedule in a run (median over the runs): large values mean the machine stalled`,
    path: '/',
    rate: fixedRateRps,
    duration: latencyDuration,
    rounds: latencyRounds,
    targets: ['direct', BARE, FASTIFY, 'nginx proxy', SKIFF1, SKIFF2],
  },
];
targets['skiff ×1 + jwtClaimToHeader'] = targets[SKIFF1];

const estimate = scenarios
  .filter((s) => wanted(s.key))
  .reduce((sum, s) => sum + s.targets.filter((n) => n in targets).length * (s.rounds ?? rounds) * (warmup + (s.duration ?? duration) + 0.3), 0);
const workersEstimate = wanted('workers') && tasksetPath !== null ? 2 * workerRounds * (warmup + duration + 0.3) : 0;
console.log(`about ${Math.ceil((estimate + workersEstimate) / 60)} minute(s) of measuring from here\n`);

for (const scenario of scenarios) {
  if (!wanted(scenario.key)) continue;
  const before = loadAverage();
  report(scenario, await runScenario(loader, scenario), before);
}

// Metrics were really on: skiff counted the requests it served (a primary of several workers
// shows them only when it merges its workers' metrics).
console.log('');
for (const name of [SKIFF1, SKIFF2]) {
  const text = await fetch(`http://127.0.0.1:${skiffs[name].support}/metrics`).then((r) => r.text(), () => '');
  const counted = [...text.matchAll(/^skipper_serve_route_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
  console.log(`${name} /metrics: ${counted.toLocaleString('en-US')} requests counted in skipper_serve_route_duration_seconds`);
}

// --- workers -----------------------------------------------------------------------------------

let workers = null;
if (wanted('workers')) {
  if (tasksetPath === null) console.log('\n### Workers\n\ntaskset (util-linux) is not installed: the workers scenario needs it to pin the load generator; skipped');
  else {
    const pinned = track(await startLoadGenerator({ cpus: String(Math.min(1, os.cpus().length - 1)) }));
    const scenario = {
      key: 'workers',
      title: 'Workers: skiff ×2 against ×1 (load generator pinned to CPU 1)',
      detail: `small GET, ${connections} connections, ${runsLabel(workerRounds, duration)}; the servers may use every CPU, the load generator only CPU 1`,
      path: '/',
      rounds: workerRounds,
      targets: [SKIFF1, SKIFF2],
      baselines: [SKIFF1],
      watch: [backend.pid, pinned.pid],
    };
    const before = loadAverage();
    const runs = await runScenario(pinned, scenario);
    const summary = report(scenario, runs, before);
    const cores = (name, i) => median(runs[name].map((r) => r.watchedCpu[i] / r.seconds));
    const skiffCores = (name) => median(runs[name].map((r) => (r.cpuPerRequestUs * r.requests) / 1e6 / r.seconds));
    workers = { ratio: summary[SKIFF2].rps / summary[SKIFF1].rps, summary };
    console.log('\nCPU in use during the runs (cores, medians):\n');
    console.log(
      markdownTable(
        ['run', 'skiff', 'backend', 'load generator', 'sum', 'req/s per skiff core'],
        [SKIFF1, SKIFF2].map((name) => {
          const [s, b, l] = [skiffCores(name), cores(name, 0), cores(name, 1)];
          return [name, fixed(s, 2), fixed(b, 2), fixed(l, 2), fixed(s + b + l, 2), thousands(summary[name].rps / s)];
        }),
      ),
    );
    workers.cores = Object.fromEntries([SKIFF1, SKIFF2].map((n) => [n, { skiff: skiffCores(n), backend: cores(n, 0), loadGenerator: cores(n, 1) }]));
  }
}

// --- targets of the issue ------------------------------------------------------------------------

// Throughput goals are judged on req/s as the issue states them; beside each, the same ratio from
// CPU per request (capacity: the baseline's CPU µs/req over skiff's), which other tenants of a
// shared machine move far less than req/s.
const verdict = (value, pass) => (Number.isFinite(value) ? (pass(value) ? 'met' : 'NOT met') : 'not measured');
const goalRow = (label, wanted, pass, byRps, byCpu) => [
  label,
  wanted,
  fixed(byRps, 2),
  verdict(byRps, pass),
  byCpu === undefined ? '' : fixed(byCpu, 2),
  byCpu === undefined ? '' : verdict(byCpu, pass),
];
const small = summaries.small?.summary;
const latency = summaries.latency?.summary;
const rows = [];
if (small?.[SKIFF1] && small[BARE] && small[FASTIFY]) {
  const atLeast = (goal) => (v) => v >= goal;
  rows.push(goalRow('small GET: skiff ×1 / bare undici proxy', '≥ 0.90', atLeast(0.9), small[SKIFF1].rps / small[BARE].rps, small[BARE].cpuUs / small[SKIFF1].cpuUs));
  rows.push(goalRow('small GET: skiff ×1 / @fastify/http-proxy', '≥ 1.75', atLeast(1.75), small[SKIFF1].rps / small[FASTIFY].rps, small[FASTIFY].cpuUs / small[SKIFF1].cpuUs));
}
if (latency?.[SKIFF1] && latency[BARE]) {
  rows.push(goalRow(`p99 at ${fixedRateRps} req/s: skiff ×1 / bare undici proxy`, '≤ 2.00', (v) => v <= 2, latency[SKIFF1].p99 / latency[BARE].p99));
}
if (workers !== null) rows.push(goalRow('workers: skiff ×2 / skiff ×1, load generator on one core', '≥ 1.30', (v) => v >= 1.3, workers.ratio));
if (rows.length > 0) {
  console.log('\n### Goals\n');
  console.log(markdownTable(['goal', 'wanted', 'measured', '', 'from CPU µs/req', ''], rows));
}
console.log(`\nfinished in ${((Date.now() - started) / 60000).toFixed(1)} min; load average ${loadAverage()}`);

const jsonFile = option('json');
if (jsonFile !== undefined) {
  writeFileSync(jsonFile, JSON.stringify({ header, backend: backend.kind, duration, rounds, connections, scenarios: summaries, workers }, null, 2));
  console.log(`results written to ${jsonFile}`);
}
process.exit(0);
