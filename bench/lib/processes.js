// Helpers for benchmarks: start processes that report their port over IPC, run autocannon.
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

/** Starts bin/skiff.js and waits until its /readyz answers 200. */
export async function startSkiffProcess(args, supportPort) {
  const child = spawn(process.execPath, ['bin/skiff.js', '--log-level', 'warn', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
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
