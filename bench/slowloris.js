// Slowloris against skiff (the built dist/): 5,000 connections that send a request's headers a
// line at a time and never finish, while normal keep-alive traffic runs. Reports throughput
// with and without the attack (target: at least 80 %), the RSS the slow connections cost, and
// how long skiff took to cut them (header deadline + checking interval).
//
//   npm run build && node bench/slowloris.js
//   node bench/slowloris.js --connections 2000 --seconds 5 --headers-timeout 10
//
// Three processes share the machine: skiff (with its header deadline set for the run), an
// attacker holding the slow sockets, and this one running autocannon. Every socket goes to
// 127.0.0.1 and everything stops by itself. The slow sockets need file descriptors in both
// skiff and the attacker: when the soft limit (`ulimit -n`) is too low and the hard limit
// allows more, the script re-runs itself with a raised limit; otherwise it stops and says so.
import { fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, load } from './lib/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const role = option('role', 'main');
if (role === 'skiff') await runSkiff();
else if (role === 'attacker') await runAttacker();
else await runMain();

// --- skiff, configured for the run ---------------------------------------------------------------

async function runSkiff() {
  const { createSkiff, RoutesFileSource, createLogger } = await import(join(root, 'dist/src/index.js'));
  const log = createLogger('error');
  const skiff = createSkiff({
    listeners: [{ name: 'default', host: '127.0.0.1', port: Number(option('port', '0')) }],
    support: null,
    sources: [new RoutesFileSource([option('routes', '')], log)],
    log,
    proxy: { requestHeadersTimeoutMs: Number(option('headers-timeout-ms', '20000')), connectionsCheckingIntervalMs: 1000 },
  });
  await skiff.start();
  process.send({ ready: true });
  process.on('disconnect', () => process.exit(0));
}

// --- the attacker: slow sockets on command ------------------------------------------------------

async function runAttacker() {
  const port = Number(option('port', '0'));
  const sockets = new Set();
  const closedAfter = [];
  let refusedOrReset = 0;
  let got408 = 0;
  let drip = null;
  process.on('message', async (m) => {
    if (m.open !== undefined) {
      for (let i = 0; i < m.open; i += 250) {
        for (let j = i; j < Math.min(m.open, i + 250); j++) {
          const opened = performance.now();
          const s = net.connect(port, '127.0.0.1');
          let text = '';
          s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: a\r\nX-0: 0\r\n'));
          s.on('data', (d) => (text += d.toString('latin1')));
          s.on('error', () => refusedOrReset++);
          s.on('close', () => {
            sockets.delete(s);
            if (text.startsWith('HTTP/1.1 408')) got408++;
            closedAfter.push(performance.now() - opened);
          });
          sockets.add(s);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      // One more header line every 2 s per socket: alive, never finished.
      let n = 1;
      drip = setInterval(() => {
        for (const s of sockets) if (s.writable) s.write(`X-${n}: ${n}\r\n`);
        n++;
      }, 2000);
      process.send({ opened: sockets.size });
    } else if (m.status) {
      process.send({ open: sockets.size, closed: closedAfter.length, got408, refusedOrReset, maxClosedAfterMs: Math.max(0, ...closedAfter), minClosedAfterMs: closedAfter.length === 0 ? 0 : Math.min(...closedAfter) });
    } else if (m.stop) {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
      process.exit(0);
    }
  });
  process.send({ ready: true });
}

// --- the run --------------------------------------------------------------------------------------

async function runMain() {
  const connections = Number(option('connections', '5000'));
  const seconds = Number(option('seconds', '10'));
  const headersTimeoutS = Number(option('headers-timeout', '20'));
  const needFds = connections + 2000;
  if (!existsSync(join(root, 'dist/src/index.js'))) {
    console.error('slowloris: build first (npm run build)');
    process.exit(2);
  }
  const soft = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  if (soft < needFds && process.env.SLOWLORIS_RAISED === undefined) {
    const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
    if (hard !== 'unlimited' && Number(hard) < needFds) {
      console.error(`slowloris: needs ${needFds} file descriptors, the hard limit is ${hard}; lower --connections`);
      process.exit(2);
    }
    const child = spawn('sh', ['-c', `ulimit -n ${needFds} && exec "$0" "$@"`, process.execPath, self, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, SLOWLORIS_RAISED: '1' },
    });
    const [code] = await once(child, 'exit');
    process.exit(code ?? 1);
  }

  const dir = await mkdtemp(join(tmpdir(), 'skiff-slowloris-'));
  const backendPort = await freePort();
  const backend = fork(join(root, 'bench/lib/backend.js'), [String(backendPort), '64'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await once(backend, 'message');
  const routes = join(dir, 'routes.eskip');
  await writeFile(routes, `all: * -> "http://127.0.0.1:${backendPort}";`);
  const port = await freePort();
  const skiff = fork(self, ['--role', 'skiff', '--port', String(port), '--routes', routes, '--headers-timeout-ms', String(headersTimeoutS * 1000)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(skiff, 'message');
  const attacker = fork(self, ['--role', 'attacker', '--port', String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(attacker, 'message');
  const ask = async (msg) => {
    attacker.send(msg);
    const [reply] = await once(attacker, 'message');
    return reply;
  };
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${skiff.pid}/status`, 'utf8'))[1]) / 1024;
  const fds = () => readdirSync(`/proc/${skiff.pid}/fd`).length;
  const url = `http://127.0.0.1:${port}/`;

  console.log(`slowloris: ${connections} slow connections, ${seconds} s load runs, header deadline ${headersTimeoutS} s`);
  await load(url, { connections: 32, duration: 2 }); // warm-up
  const rssBefore = rss();
  const baseline = await load(url, { connections: 32, duration: seconds });
  console.log(`baseline: ${Math.round(baseline.rps)} req/s, p99 ${baseline.p99} ms, rss ${rssBefore.toFixed(1)} MiB`);

  const attackStart = performance.now();
  const opened = await ask({ open: connections });
  const rssHeld = rss();
  const fdsHeld = fds();
  console.log(`attack: ${opened.opened} slow connections open after ${((performance.now() - attackStart) / 1000).toFixed(1)} s; skiff rss ${rssHeld.toFixed(1)} MiB, fds ${fdsHeld}`);
  const underAttack = await load(url, { connections: 32, duration: seconds });
  const held = await ask({ status: true });
  console.log(`under attack: ${Math.round(underAttack.rps)} req/s, p99 ${underAttack.p99} ms; slow sockets still open ${held.open}`);

  // Wait for skiff to cut every slow socket: deadline + checking interval + ramp + slack.
  const limitMs = (headersTimeoutS + 10) * 1000;
  let status = held;
  while (performance.now() - attackStart < limitMs + 5000) {
    status = await ask({ status: true });
    if (status.open === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const rssAfter = rss();
  const ratio = underAttack.rps / baseline.rps;
  const report = {
    connections,
    baselineRps: Math.round(baseline.rps),
    underAttackRps: Math.round(underAttack.rps),
    throughputRatio: Math.round(ratio * 1000) / 1000,
    baselineP99Ms: baseline.p99,
    underAttackP99Ms: underAttack.p99,
    loadErrors: { baseline: baseline.errors, underAttack: underAttack.errors },
    rssMiB: { before: round(rssBefore), holding: round(rssHeld), extra: round(rssHeld - rssBefore), perConnectionKiB: round(((rssHeld - rssBefore) * 1024) / Math.max(1, opened.opened)), afterReaped: round(rssAfter) },
    skiffFdsHolding: fdsHeld,
    slowSockets: { stillOpen: status.open, closed: status.closed, answered408: status.got408, errors: status.refusedOrReset, closedAfterMs: { min: Math.round(status.minClosedAfterMs), max: Math.round(status.maxClosedAfterMs) } },
    checks: {
      throughputAtLeast80Percent: ratio >= 0.8,
      rssExtraUnder60MiB: rssHeld - rssBefore < 60,
      allSlowSocketsCut: status.open === 0,
    },
  };
  report.pass = Object.values(report.checks).every(Boolean);
  console.log(JSON.stringify(report, null, 2));
  attacker.send({ stop: true });
  skiff.kill('SIGKILL');
  backend.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
  process.exit(report.pass ? 0 : 1);
}

function round(x) {
  return Math.round(x * 10) / 10;
}
