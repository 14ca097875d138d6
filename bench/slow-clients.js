// Slow clients against one backend: 128 connections (the default --max-connections-per-endpoint)
// that each hold a pooled backend connection in one of three ways, while a victim sends small
// GETs to the same backend. Three phases, one per kind of attacker:
//   - slow POST: Content-Length 100000, one byte every second (under the body idle timeout);
//   - Expect: 100-continue, Content-Length 100000, and no body at all;
//   - GET of a large response that the client never reads.
// For each phase it reports the victim's answers (status and latency) while the attack holds the
// pool, first alone, then after a burst of as many requests as the pool has connections has
// filled the queue; how long skiff took to cut the attackers' backend connections; and the
// victim's latency once they are cut. The goal is a victim answered in < 100 ms; while every
// connection is taken the answer can only be a 503: after --backend-queue-timeout while the
// queue has room, at once when it is full.
//
//   npm run build && node bench/slow-clients.js
//   node bench/slow-clients.js --attackers 64 --request-timeout 6s --idle-timeout 3s --only unread
//
// skiff runs bin/skiff.js (one worker) with its defaults except the client timeouts, shortened so
// that a phase ends in seconds: --request-timeout (default here 8s), --request-body-idle-timeout
// and --write-timeout-server (both --idle-timeout, default here 4s). Every socket is on 127.0.0.1
// and everything stops by itself.
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startSkiffProcess } from './lib/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const attackers = Number(option('attackers', '128'));
const requestTimeout = option('request-timeout', '8s');
const idleTimeout = option('idle-timeout', '4s');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- backend: counts connections, streams /big at the reader's pace, answers "ok" otherwise ------

const chunk = Buffer.alloc(64 * 1024, 0x61);
let opened = 0;
const closedAt = [];
const backend = http.createServer((req, res) => {
  if (req.url === '/big') {
    let left = 4096; // 256 MiB, never all of it in flight: written as the reader takes it
    res.writeHead(200, { 'content-length': String(left * chunk.length) });
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    return pump();
  }
  req.resume();
  req.on('end', () => res.end('ok'));
});
backend.on('connection', (s) => {
  opened++;
  s.on('close', () => closedAt.push(performance.now()));
});
await new Promise((r) => backend.listen(0, '127.0.0.1', r));
const backendPort = backend.address().port;

// --- skiff ------------------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'skiff-slow-clients-'));
const routes = join(dir, 'routes.eskip');
await writeFile(routes, `r: * -> "http://127.0.0.1:${backendPort}";\n`);
/** A fresh skiff per phase, so that one phase's pool and queue do not carry into the next. */
async function startSkiff() {
  const port = await freePort();
  const supportPort = await freePort();
  const skiff = await startSkiffProcess(
    [
      '--address', `127.0.0.1:${port}`,
      '--support-address', `127.0.0.1:${supportPort}`,
      '--routes-file', routes,
      '--workers', '1',
      '--request-timeout', requestTimeout,
      '--request-body-idle-timeout', idleTimeout,
      '--write-timeout-server', idleTimeout,
    ],
    supportPort,
    { script: join(root, 'bin/skiff.js') },
  );
  return { port, stop: () => skiff.stop() };
}

// --- attackers and the victim ------------------------------------------------------------------------

const kinds = {
  'slow POST': (s) => {
    s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nx');
    const t = setInterval(() => !s.destroyed && s.write('x'), 1000);
    s.on('close', () => clearInterval(t));
  },
  'Expect without body': (s) => s.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n'),
  'unread large GET': (s) => {
    s.pause();
    s.write('GET /big HTTP/1.1\r\nHost: a\r\n\r\n');
  },
};

function victim(port) {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${port}/small`, { agent: false, timeout: 100_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - start }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: err.message, ms: performance.now() - start }));
  });
}

const fmt = (v) => v.map((r) => `${r.status} in ${r.ms.toFixed(1)} ms`).join(', ');
const rows = [];
let failed = false;
let current = null;
try {
  const only = option('only', '');
  for (const [name, attack] of Object.entries(kinds)) {
    if (only !== '' && !name.startsWith(only)) continue;
    const skiff = await startSkiff();
    current = skiff;
    const port = skiff.port;
    const openedBefore = opened;
    const closedBefore = closedAt.length;
    const sockets = [];
    const started = performance.now();
    for (let i = 0; i < attackers; i++) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => {});
      s.on('connect', () => attack(s));
      sockets.push(s);
    }
    for (let i = 0; i < 200 && opened - openedBefore < attackers; i++) await sleep(25);
    const held = opened - openedBefore;
    await sleep(200);
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await victim(skiff.port));
    // A burst as large as the pool fills the queue (requests that gave up stay counted until a
    // connection frees); from then on a victim is refused at once.
    const burst = await Promise.all(Array.from({ length: attackers }, () => victim(skiff.port)));
    const refused = [];
    for (let i = 0; i < 3; i++) refused.push(await victim(skiff.port));
    const limit = performance.now() + 30_000;
    while (closedAt.length - closedBefore < held && performance.now() < limit) await sleep(50);
    const cut = closedAt.slice(closedBefore, closedBefore + held);
    const cutMs = cut.length === held ? Math.max(...cut) - started : NaN;
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await victim(skiff.port));
    for (const s of sockets) s.destroy();
    skiff.stop();
    current = null;
    rows.push({ name, held, during, refused, cutMs, cutCount: cut.length, after });
    console.log(
      `${name.padEnd(20)} backend connections held: ${held}; victim during: ${fmt(during)}; ` +
        `burst of ${burst.length}: ${burst.filter((r) => r.status === 503).length} x 503, max ${Math.max(...burst.map((r) => r.ms)).toFixed(0)} ms; ` +
        `victim with the queue full: ${fmt(refused)}; ` +
        `attackers' backend connections cut: ${cut.length}/${held} after ${cutMs.toFixed(0)} ms; victim after: ${fmt(after)}`,
    );
    if (after.some((r) => r.status !== 200 || r.ms >= 100) || during.some((r) => typeof r.status !== 'number')) failed = true;
    await sleep(500);
  }
} finally {
  current?.stop();
  backend.closeAllConnections();
  backend.close();
  await rm(dir, { recursive: true, force: true });
}
const max = (key) => Math.max(...rows.flatMap((r) => r[key].map((d) => d.ms))).toFixed(1);
console.log(
  `\nvictim latency while ${attackers} attackers hold the pool: max ${max('during')} ms (503 after --backend-queue-timeout, default 1s), ` +
    `max ${max('refused')} ms once the queue is full (503 at once); after the attackers are cut: max ${max('after')} ms (goal < 100 ms)`,
);
process.exit(failed ? 1 : 0);
