// Cost of observability on the request path: skiff with Prometheus metrics and JSON access logs
// on (tracing loaded, no SDK) against skiff with no observer, same routes, same echo-sized
// backend on loopback, in one run. Runs alternate off/on so that drift on a shared machine hits
// both sides. Prints req/s per run and the on/off ratio (target ≥ 0.9). Run after `npm run build`:
//   node bench/observability.js [--duration 5] [--rounds 2] [--connections 50]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkServer, load } from './lib/processes.js';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--serve') await serve(process.argv[3], process.argv[4], process.argv[5]);
else await main();

/** Child mode: one skiff instance, observability on or off, reporting its ports over IPC. */
async function serve(mode, routesFile, accessLogFile) {
  const { createSkiff } = await import('../dist/src/skiff.js');
  const { RoutesFileSource } = await import('../dist/src/sources/routes-file.js');
  const { createObservability } = await import('../dist/src/observability.js');
  const { silentLogger } = await import('../dist/src/log.js');
  const obs = mode === 'on' ? createObservability({ accessLog: { enabled: true, destination: accessLogFile } }) : null;
  const skiff = createSkiff({
    listeners: [{ name: 'default', host: '127.0.0.1', port: 0 }],
    support: { host: '127.0.0.1', port: 0 },
    sources: [new RoutesFileSource([routesFile], silentLogger, 1000)],
    log: silentLogger,
    ...(obs === null ? {} : { observer: obs.observer, metrics: obs.metricsHandler, onTable: obs.onTable }),
  });
  await skiff.start();
  process.send({ port: skiff.addresses.get('default').port, support: skiff.supportAddress.port });
  process.on('disconnect', async () => {
    await obs?.shutdown();
    process.exit(0);
  });
}

async function main() {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? dflt : Number(process.argv[i + 1]);
  };
  const duration = arg('duration', 5);
  const rounds = arg('rounds', 2);
  const connections = arg('connections', 50);

  const backend = await forkServer('bench/lib/backend.js', ['0', '300']);
  const origin = `http://127.0.0.1:${backend.port}`;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-obs-'));
  const routesFile = join(dir, 'routes.eskip');
  const routes = [];
  for (let i = 0; i < 99; i++) routes.push(`r${i}: Host(/^svc${i}[.]example[.]org$/) && PathSubtree("/api") -> "${origin}";`);
  routes.push(`target: Host(/^bench[.]example[.]org$/) && PathSubtree("/") -> "${origin}";`);
  writeFileSync(routesFile, routes.join('\n'));
  const accessLogFile = join(dir, 'access.log');

  const start = async (mode) => {
    const child = fork(self, ['--serve', mode, routesFile, accessLogFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [msg] = await once(child, 'message');
    return { child, ...msg };
  };
  const off = await start('off');
  const on = await start('on');
  const headers = { host: 'bench.example.org' };
  const runs = { off: [], on: [] };
  let scrape = '';
  try {
    for (const s of [off, on]) await load(`http://127.0.0.1:${s.port}/x`, { connections, duration: 1, headers }); // warm-up
    for (let round = 0; round < rounds; round++) {
      runs.off.push(await load(`http://127.0.0.1:${off.port}/x`, { connections, duration, headers }));
      runs.on.push(await load(`http://127.0.0.1:${on.port}/x`, { connections, duration, headers }));
    }
    scrape = await (await fetch(`http://127.0.0.1:${on.support}/metrics`)).text();
  } finally {
    off.child.disconnect();
    on.child.disconnect();
    await Promise.all([once(off.child, 'exit'), once(on.child, 'exit')]);
    backend.stop();
  }

  const mean = (xs, key) => xs.reduce((a, r) => a + r[key], 0) / xs.length;
  console.log(`small GET through skiff (100 routes), ${connections} connections, ${duration}s x ${rounds} rounds alternating, node ${process.version}`);
  console.log('run'.padEnd(8), 'observability'.padEnd(14), 'req/s'.padStart(9), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'errors'.padStart(7));
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['off', 'on']) {
      const r = runs[mode][i];
      console.log(String(i + 1).padEnd(8), mode.padEnd(14), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(7), String(r.p99).padStart(7), String(r.errors).padStart(7));
    }
  }
  const ratio = mean(runs.on, 'rps') / mean(runs.off, 'rps');
  console.log(`mean req/s off ${mean(runs.off, 'rps').toFixed(0)}, on ${mean(runs.on, 'rps').toFixed(0)}: ratio on/off ${ratio.toFixed(3)} (target >= 0.9)`);

  // Check the "on" side really did the work: served requests counted, lines written, none dropped.
  const served = Number(/^skipper_serve_route_duration_seconds_count\{code="200",method="GET",route="target"\} (\d+)$/m.exec(scrape)?.[1] ?? 0);
  const lines = readFileSync(accessLogFile, 'utf8').split('\n').length - 1;
  const dropped = Number(/^skiff_accesslog_dropped_lines_total (\d+)$/m.exec(scrape)?.[1] ?? NaN);
  console.log(`"on" side: ${served} requests in skipper_serve_route_duration_seconds, ${lines} access log lines (${(statSync(accessLogFile).size / 1e6).toFixed(1)} MB), ${dropped} dropped`);
}
