// Helpers for benchmarks: start processes that report their port over IPC, run autocannon, and
// run the load generator as a separate (optionally CPU-pinned) process.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import autocannon from 'autocannon';

/** Forks a script that sends `{ port }` when listening. */
export async function forkServer(script, args = [], execArgv = []) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const [msg] = await once(child, 'message');
  return { child, port: msg.port, stop: () => child.kill('SIGKILL') };
}

export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Starts bin/skiff.js (or `script`, e.g. bench/lib/skiff-launcher.js, which takes the same
 * options) and waits until its /readyz answers 200.
 */
export async function startSkiffProcess(args, supportPort, { script = 'bin/skiff.js' } = {}) {
  // node's flags as bin/skiff.js's first line, the image and `npm start` give them
  const child = spawn(process.execPath, ['--no-memory-reducer', script, '--log-level', 'warn', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${supportPort}/readyz`);
      if (res.status === 200) return { child, stop: () => child.kill('SIGKILL') };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('skiff did not become ready');
}

/** One autocannon run; returns req/s and latency percentiles in ms. */
export async function load(url, { connections = 50, duration = 5, method = 'GET', body, headers, rate } = {}) {
  const result = await autocannon({ url, connections, duration, method, body, headers, overallRate: rate, pipelining: 1 });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9 ?? result.latency.p999,
    errors: result.errors + result.non2xx,
  };
}

/**
 * The load generator (load-generator.js) in its own process; `cpus` (e.g. '1') pins it with
 * taskset, which must then be installed. run(job) sends one job and resolves with its result.
 */
export async function startLoadGenerator({ cpus } = {}) {
  const script = new URL('./load-generator.js', import.meta.url).pathname;
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  // taskset execs node in place, so the IPC channel's descriptor reaches node unchanged
  const child = cpus === undefined ? fork(script, [], { stdio }) : spawn('taskset', ['-c', cpus, process.execPath, script], { stdio });
  const [hello] = await once(child, 'message');
  if (!hello.ready) throw new Error('load generator did not start');
  let next = 0;
  const pending = new Map();
  child.on('message', (m) => {
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid,
    run: (job) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ ...job, id });
      }),
    stop: () => child.kill('SIGKILL'),
  };
}
