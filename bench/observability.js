// Cost of observability on the request path: skiff with Prometheus metrics and JSON access logs
// on (tracing loaded, no SDK) against skiff with no observer, same routes, same echo-sized
// backend on loopback, in one run. Runs alternate off/on, the order swapped every round, so that
// drift on a shared machine hits both sides alike. Prints req/s per run and the on/off ratio (target ≥ 0.9), and first the observer's
// own CPU time per request measured in-process, which machine noise hardly moves. Run after
// `npm run build`:
//   node bench/observability.js [--duration 5] [--rounds 4] [--connections 50]
//                               [--on metrics+tracing+log] [--access-log FILE|discard]
// `--on` picks what the "on" side turns on; `--access-log discard` keeps the formatting and
// batching but throws the bytes away, to tell the log's CPU from the file system's.
// Last, a third skiff with the "on" observers, each hook wrapped in performance.now(), serves one
// more run: the hooks' CPU inside the server, where caches and branch predictors are cold. It is
// about twice the in-process figure; the rest of the on/off difference is spent outside the hooks
// (flushes, GC) or is noise between the runs.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { forkServer, load } from './lib/processes.js';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--serve') await serve(process.argv[3], process.argv[4], process.argv[5], process.argv[6] === 'timed');
else await main();

/** Child mode: one skiff instance, observability on or off, reporting its ports over IPC. */
async function serve(mode, routesFile, accessLogFile, timed) {
  const { createSkiff } = await import('../dist/src/skiff.js');
  const { RoutesFileSource } = await import('../dist/src/sources/routes-file.js');
  const { createObservability } = await import('../dist/src/observability.js');
  const { silentLogger } = await import('../dist/src/log.js');
  const parts = mode === 'off' ? [] : mode.split('+');
  const obs =
    parts.length === 0
      ? null
      : createObservability({
          metrics: parts.includes('metrics') ? {} : false,
          tracing: parts.includes('tracing') ? {} : false,
          accessLog: { enabled: parts.includes('log'), destination: accessLogFile === 'discard' ? new Writable({ write: (_c, _e, cb) => cb() }) : accessLogFile },
        });
  const hookMs = { started: 0, upstreamStarting: 0, finished: 0, flush: 0 };
  const observer = obs === null || !timed ? obs?.observer : timedObserver(obs, hookMs);
  const skiff = createSkiff({
    listeners: [{ name: 'default', host: '127.0.0.1', port: 0 }],
    support: { host: '127.0.0.1', port: 0 },
    sources: [new RoutesFileSource([routesFile], silentLogger, 1000)],
    log: silentLogger,
    ...(obs === null ? {} : { observer, metrics: obs.metricsHandler, onTable: obs.onTable }),
  });
  await skiff.start();
  process.send({ port: skiff.addresses.get('default').port, support: skiff.supportAddress.port });
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send({ cpu: u.user + u.system, hookMs });
    }
  });
  process.on('disconnect', async () => {
    await obs?.shutdown();
    process.exit(0);
  });
}

/**
 * The observer with each hook, and the access log's batches (the lines set aside by `finished`,
 * encoded and written on the flush timer), adding its time (ms) to `into`.
 */
function timedObserver(obs, into) {
  const { started, upstreamStarting, finished } = obs.observer;
  const log = obs.accessLog;
  if (log) {
    const batch = log.encodeScheduled.bind(log);
    log.encodeScheduled = () => {
      const t0 = performance.now();
      batch();
      into.flush += performance.now() - t0;
    };
  }
  const time = (name, hook) => (record, headers) => {
    const t0 = performance.now();
    hook(record, headers);
    into[name] += performance.now() - t0;
  };
  return { started: time('started', started), upstreamStarting: time('upstreamStarting', upstreamStarting), finished: time('finished', finished) };
}

/** ns of observer work per request: the three hooks on a finished request, access log to a null sink. */
async function observerCost(options) {
  const { createObservability } = await import('../dist/src/observability.js');
  const { IncomingRequestView } = await import('../dist/src/proxy/request-view.js');
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const obs = createObservability({ ...options, ...(options.accessLog ? { accessLog: { ...options.accessLog, destination: sink } } : {}) });
  const definition = { id: 'target', predicates: [{ name: 'Host', args: [{ regexp: '^bench[.]example[.]org$' }] }], filters: [], backend: { type: 'shunt' } };
  obs.onTable('default', { routes: [{ id: 'target', definition, filters: [], backend: { type: 'shunt' } }], createdAt: new Date() }, []);
  const headers = { host: 'bench.example.org' };
  const req = { headers, url: '/x', socket: { remotePort: 40000 } };
  const view = new IncomingRequestView({ method: 'GET', host: 'bench.example.org', rawPath: '/x', rawQuery: '', headers, remoteAddress: '127.0.0.1', clientIp: '127.0.0.1' });
  const endpoint = { origin: 'http://127.0.0.1:8080', authority: '127.0.0.1:8080' };
  const { started, upstreamStarting, finished } = obs.observer;
  const run = async (n) => {
    let spent = 0n;
    for (let i = 0; i < n; i++) {
      const now = process.hrtime.bigint();
      const r = { req, view, routeId: 'target', status: 200, startNs: now - 100_000n, endNs: now, upstreamStartNs: now - 80_000n, upstreamEndNs: now - 1000n, endpoint, bytes: 300, failure: '', filterState: undefined, observerData: undefined };
      const t0 = process.hrtime.bigint();
      started(r);
      upstreamStarting(r, {});
      finished(r);
      spent += process.hrtime.bigint() - t0;
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve)); // let the access log flush
    }
    return Number(spent) / n;
  };
  await run(20_000);
  const ns = await run(100_000);
  await obs.shutdown();
  return ns;
}

async function main() {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? dflt : Number(process.argv[i + 1]);
  };
  const duration = arg('duration', 5);
  const rounds = arg('rounds', 4);
  const connections = arg('connections', 50);

  const costs = {
    'tracing only (no SDK)': await observerCost({ metrics: false }),
    'metrics + tracing': await observerCost({}),
    'metrics + tracing + access log': await observerCost({ accessLog: { enabled: true } }),
  };
  console.log('observer CPU per request, in-process (hrtime around the three hooks; the clock reads count too):');
  for (const [name, ns] of Object.entries(costs)) console.log(`  ${name.padEnd(32)} ${(ns / 1000).toFixed(2)} µs`);

  const backend = await forkServer('bench/lib/backend.js', ['0', '300']);
  const origin = `http://127.0.0.1:${backend.port}`;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-obs-'));
  const routesFile = join(dir, 'routes.eskip');
  const routes = [];
  for (let i = 0; i < 99; i++) routes.push(`r${i}: Host(/^svc${i}[.]example[.]org$/) && PathSubtree("/api") -> "${origin}";`);
  routes.push(`target: Host(/^bench[.]example[.]org$/) && PathSubtree("/") -> "${origin}";`);
  writeFileSync(routesFile, routes.join('\n'));
  const accessLogFile = process.argv.includes('--access-log') ? process.argv[process.argv.indexOf('--access-log') + 1] : join(dir, 'access.log');

  const start = async (mode, timed = false) => {
    const child = fork(self, ['--serve', mode, routesFile, accessLogFile, ...(timed ? ['timed'] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [msg] = await once(child, 'message');
    return { child, ...msg };
  };
  /** CPU microseconds the skiff process has used so far, and its hooks' ms when timed. */
  const usage = async (s) => {
    s.child.send('cpu');
    const [msg] = await once(s.child, 'message');
    return msg;
  };
  const cpu = async (s) => (await usage(s)).cpu;
  /** One load run, with the skiff process's CPU time per request: far steadier than req/s on a shared machine. */
  const measure = async (s, url) => {
    const c0 = await cpu(s);
    const r = await load(url, { connections, duration, headers });
    const c1 = await cpu(s);
    return { ...r, cpuPerRequest: (c1 - c0) / Math.max(1, r.rps * duration) };
  };
  const onMode = process.argv.includes('--on') ? process.argv[process.argv.indexOf('--on') + 1] : 'metrics+tracing+log';
  const off = await start('off');
  const on = await start(onMode);
  const headers = { host: 'bench.example.org' };
  const runs = { off: [], on: [] };
  let scrape = '';
  try {
    for (const s of [off, on]) await load(`http://127.0.0.1:${s.port}/x`, { connections, duration: 2, headers }); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
        const s = mode === 'off' ? off : on;
        runs[mode].push(await measure(s, `http://127.0.0.1:${s.port}/x`));
      }
    }
    scrape = await (await fetch(`http://127.0.0.1:${on.support}/metrics`)).text();
  } finally {
    off.child.disconnect();
    on.child.disconnect();
    await Promise.all([once(off.child, 'exit'), once(on.child, 'exit')]);
  }
  /** µs per request inside each hook of a third, timed "on" skiff, over one more run. */
  let hooks = null;
  try {
    const timed = await start(onMode, true);
    const url = `http://127.0.0.1:${timed.port}/x`;
    await load(url, { connections, duration: 1, headers });
    const u0 = await usage(timed);
    const r = await load(url, { connections, duration, headers });
    const u1 = await usage(timed);
    const n = Math.max(1, r.rps * duration);
    hooks = Object.fromEntries(Object.keys(u1.hookMs).map((k) => [k, ((u1.hookMs[k] - u0.hookMs[k]) * 1000) / n]));
    hooks.cpu = (u1.cpu - u0.cpu) / n;
    timed.child.disconnect();
    await once(timed.child, 'exit');
  } finally {
    backend.stop();
  }

  const mean = (xs, key) => xs.reduce((a, r) => a + r[key], 0) / xs.length;
  console.log(`small GET through skiff (100 routes), ${connections} connections, ${duration}s x ${rounds} rounds alternating, node ${process.version}`);
  console.log('run'.padEnd(8), 'observability'.padEnd(14), 'req/s'.padStart(9), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'errors'.padStart(7), 'skiff CPU µs/req'.padStart(17));
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['off', 'on']) {
      const r = runs[mode][i];
      console.log(
        String(i + 1).padEnd(8),
        mode.padEnd(14),
        r.rps.toFixed(0).padStart(9),
        String(r.p50).padStart(7),
        String(r.p99).padStart(7),
        String(r.errors).padStart(7),
        r.cpuPerRequest.toFixed(1).padStart(17),
      );
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const ratio = mean(runs.on, 'rps') / mean(runs.off, 'rps');
  const cpuRatio = mean(runs.off, 'cpuPerRequest') / mean(runs.on, 'cpuPerRequest');
  console.log(`mean req/s off ${mean(runs.off, 'rps').toFixed(0)}, on ${mean(runs.on, 'rps').toFixed(0)}: ratio on/off ${ratio.toFixed(3)} (target >= 0.9)`);
  const diffs = runs.on.map((r, i) => r.cpuPerRequest - runs.off[i].cpuPerRequest).sort((a, b) => a - b);
  console.log(`skiff CPU added per request by observability, per round (on minus off, sorted): ${diffs.map((d) => d.toFixed(1)).join(' ')} µs`);
  console.log(
    `skiff CPU per request off ${mean(runs.off, 'cpuPerRequest').toFixed(1)} µs, on ${mean(runs.on, 'cpuPerRequest').toFixed(1)} µs: ` +
      `capacity ratio on/off ${cpuRatio.toFixed(3)} (the same comparison, less exposed to other load on the machine)`,
  );
  const roundRatios = runs.on.map((r, i) => runs.off[i].cpuPerRequest / r.cpuPerRequest);
  console.log(`capacity ratio per round (off/on CPU µs per request): ${roundRatios.map((x) => x.toFixed(3)).join(' ')}, median ${median(roundRatios).toFixed(3)}`);
  if (hooks !== null) {
    const sum = hooks.started + hooks.upstreamStarting + hooks.finished + hooks.flush;
    console.log(
      `hooks inside a timed "on" skiff (µs per request, ~0.03 of each is the clock): started ${hooks.started.toFixed(2)}, ` +
        `upstreamStarting ${hooks.upstreamStarting.toFixed(2)}, finished ${hooks.finished.toFixed(2)}, access log batches ${hooks.flush.toFixed(2)}; ` +
        `${sum.toFixed(2)} of ${hooks.cpu.toFixed(1)} µs`,
    );
  }

  // Check the "on" side really did the work: served requests counted, lines written, none dropped.
  const served = Number(/^skipper_serve_route_duration_seconds_count\{code="200",method="GET",route="target"\} (\d+)$/m.exec(scrape)?.[1] ?? 0);
  const regular = existsSync(accessLogFile) && statSync(accessLogFile).isFile();
  const lines = regular ? readFileSync(accessLogFile, 'utf8').split('\n').length - 1 : 0;
  const size = regular ? statSync(accessLogFile).size : 0;
  const dropped = Number(/^skiff_accesslog_dropped_lines_total (\d+)$/m.exec(scrape)?.[1] ?? 0);
  console.log(`"on" side (${onMode}): ${served} requests in skipper_serve_route_duration_seconds, ${lines} access log lines (${(size / 1e6).toFixed(1)} MB), ${dropped} dropped`);
}
