// Throughput of small GETs, in one run: direct to the backend, a bare undici proxy, and skiff
// with a 1,000-route table. Prints req/s, p99 and ratios. Run after `npm run build`:
//   node bench/throughput.js [--duration 5] [--rounds 2] [--connections 50]
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkServer, freePort, load, startSkiffProcess } from './lib/processes.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const duration = arg('duration', 5);
const rounds = arg('rounds', 2);
const connections = arg('connections', 50);
const routeCount = arg('routes', 1000);

const backend = await forkServer('bench/lib/backend.js', ['0', '13']);
const origin = `http://127.0.0.1:${backend.port}`;
const bare = await forkServer('bench/lib/bare-proxy.js', ['0', origin]);

const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
const routes = [];
for (let i = 0; i < routeCount - 1; i++) {
  routes.push(`r${i}: Host(/^svc${i}[.]example[.]org$/) && PathSubtree("/api/v${i % 7}/items") -> "${origin}";`);
}
routes.push(`target: Host(/^bench[.]example[.]org$/) && PathSubtree("/") -> "${origin}";`);
const routesFile = join(dir, 'routes.eskip');
writeFileSync(routesFile, routes.join('\n'));
const [proxyPort, supportPort] = [await freePort(), await freePort()];
const skiff = await startSkiffProcess(
  ['--workers', '1', '--routes-file', routesFile, '--address', `127.0.0.1:${proxyPort}`, '--support-address', `127.0.0.1:${supportPort}`],
  supportPort,
);

const targets = {
  direct: `http://127.0.0.1:${backend.port}/`,
  'bare undici proxy': `http://127.0.0.1:${bare.port}/`,
  [`skiff (${routeCount} routes)`]: `http://127.0.0.1:${proxyPort}/`,
};
const headers = { host: 'bench.example.org' };
const results = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
try {
  for (const url of Object.values(targets)) await load(url, { connections, duration: 1, headers }); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(targets)) results[name].push(await load(url, { connections, duration, headers }));
  }
} finally {
  skiff.stop();
  bare.stop();
  backend.stop();
}

const best = (runs, key) => Math.max(...runs.map((r) => r[key]));
const median = (runs, key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const bareRps = best(results['bare undici proxy'], 'rps');
console.log(`small GET, ${connections} connections, ${duration}s x ${rounds} rounds, node ${process.version}`);
console.log('target'.padEnd(26), 'req/s'.padStart(9), 'p99 ms'.padStart(8), 'vs bare'.padStart(8), 'errors'.padStart(7));
for (const [name, runs] of Object.entries(results)) {
  const rps = best(runs, 'rps');
  console.log(
    name.padEnd(26),
    rps.toFixed(0).padStart(9),
    String(median(runs, 'p99')).padStart(8),
    (rps / bareRps).toFixed(2).padStart(8),
    String(runs.reduce((a, r) => a + r.errors, 0)).padStart(7),
  );
}
