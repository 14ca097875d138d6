// A pipelined flood against skiff (the built dist/, one process): 4 connections each write
// 100,000 `GET / HTTP/1.1` requests (2.6 MiB) in one go and never read, for 3 s. Reports skiff's
// RSS before, during (peak of the samples) and 1 s after the flood, and the latency of a victim
// client that makes one request on a new connection every 100 ms throughout. Fixed parameters,
// bounded time (about 8 s), loopback only.
//
//   npm run build && node bench/pipelining.js
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startSkiffProcess } from './lib/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const floodConnections = 4;
const requestsPerConnection = 100_000;
const floodMs = 3000;
const sampleEveryMs = 100;

const rssMib = (pid) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One GET on a new connection: its time in ms, or null when no answer came within 5 s. */
function probe(port) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/victim', agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const backend = http.createServer((_req, res) => res.end('ok\n'));
await new Promise((r) => backend.listen(0, '127.0.0.1', r));
const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-pipelining-'));
const routes = join(dir, 'routes.eskip');
await writeFile(routes, `all: * -> "http://127.0.0.1:${backend.address().port}";\n`);
const port = await freePort();
const supportPort = await freePort();
const skiff = await startSkiffProcess(
  ['--address', `127.0.0.1:${port}`, '--support-address', `127.0.0.1:${supportPort}`, '--routes-file', routes, '--workers', '1', '--access-log', 'off'],
  supportPort,
  { script: join(root, 'bin/skiff.js') },
);
const pid = skiff.child.pid;

try {
  for (let i = 0; i < 200; i++) await probe(port); // warm-up
  await sleep(500);
  const before = rssMib(pid);

  const flood = Buffer.from('GET / HTTP/1.1\r\nHost: t\r\n\r\n'.repeat(requestsPerConnection));
  const attackers = [];
  for (let i = 0; i < floodConnections; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.pause();
    s.once('connect', () => s.write(flood));
    attackers.push(s);
  }
  const latencies = [];
  let unanswered = 0;
  let peak = before;
  const until = performance.now() + floodMs;
  while (performance.now() < until) {
    const ms = await probe(port);
    if (ms === null) unanswered++;
    else latencies.push(ms);
    peak = Math.max(peak, rssMib(pid));
    await sleep(sampleEveryMs);
  }
  for (const s of attackers) s.destroy();
  const afterProbe = await probe(port);
  await sleep(1000);
  const after = rssMib(pid);
  latencies.sort((a, b) => a - b);
  console.log(`pipelining flood: ${floodConnections} connections x ${requestsPerConnection} GETs in one write, never read, ${floodMs} ms`);
  console.log(`  skiff RSS   before ${before.toFixed(1)} MiB, during (peak) ${peak.toFixed(1)} MiB, 1 s after ${after.toFixed(1)} MiB`);
  console.log(
    `  victim      ${latencies.length} answered, ${unanswered} unanswered; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  console.log(`  first request after the flood: ${afterProbe === null ? 'no answer within 5 s' : `${afterProbe.toFixed(1)} ms`}`);
} finally {
  skiff.stop();
  backend.close();
  await rm(dir, { recursive: true, force: true });
}
