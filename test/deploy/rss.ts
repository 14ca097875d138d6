/**
 * Resident memory of a real `--workers N` process tree, measured the way the memory limit of the
 * DaemonSet is sized: a routes file of many routes, a warm-up, a bounded number of requests
 * spread over the routes (half proxied to a loopback backend, half answered by skiff), then
 * VmRSS of the primary and of each worker from /proc/PID/status. Linux only; loopback only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSkiff, waitFor } from '../helpers/process.js';
import { startServer } from '../helpers/upstream.js';

export interface RssSample {
  /** VmRSS of the primary, in MiB. */
  readonly primaryMib: number;
  /** VmRSS of each worker, in MiB. */
  readonly workersMib: readonly number[];
}

export interface RssOptions {
  readonly workers: number;
  readonly routes: number;
  readonly requests: number;
  /** Requests in flight at once (each on its own keep-alive connection). */
  readonly concurrency?: number;
  /** Extra node options for the processes, e.g. the DaemonSet's NODE_OPTIONS. */
  readonly nodeOptions?: string;
}

/** VmRSS of a process in MiB, from /proc/PID/status. */
export function vmRssMib(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

export function childPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `n` routes of the shapes Ingresses produce: a host, a path subtree, a header filter or two. */
export function manyRoutes(n: number, backendUrl: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const host = `^app-${i % 100}[.]example[.]org$`;
    if (i % 2 === 0) {
      lines.push(`r${i}: Host("${host}") && PathSubtree("/svc-${i}") -> setRequestHeader("X-Route", "r${i}") -> setResponseHeader("X-Served-By", "skiff") -> "${backendUrl}";`);
    } else {
      lines.push(`r${i}: Host("${host}") && Path("/page-${i}") && Method("GET") -> status(200) -> inlineContent("page ${i}\\n") -> <shunt>;`);
    }
  }
  return lines.join('\n') + '\n';
}

function get(agent: http.Agent, port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { host } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${path} timed out`)));
  });
}

/**
 * Starts skiff, sends `requests` requests, and reads the RSS of every process. Every request
 * must be answered 200, or the numbers would describe a router that is not routing.
 */
export async function measureRss(o: RssOptions): Promise<RssSample> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-rss-'));
  const backend = await startServer((_req, res) => res.end('ok\n'));
  const routesFile = join(dir, 'routes.eskip');
  await writeFile(routesFile, manyRoutes(o.routes, backend.url));
  const env: Record<string, string> = o.nodeOptions === undefined ? {} : { NODE_OPTIONS: o.nodeOptions };
  const skiff = await spawnSkiff(
    ['--routes-file', routesFile, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', String(o.workers), '--log-level', 'info'],
    { env, startTimeoutMs: 30_000 },
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency ?? 8 });
  try {
    const port = Number(new URL(skiff.url).port);
    if (o.workers > 1) await waitFor(() => childPids(skiff.pid).length === o.workers, 15_000, `${o.workers} workers never appeared`);
    let next = 0;
    let failed = 0;
    const one = async (): Promise<void> => {
      while (next < o.requests) {
        const i = (next++ * 7) % o.routes;
        const host = `app-${i % 100}.example.org`;
        const status = await get(agent, port, host, i % 2 === 0 ? `/svc-${i}/x` : `/page-${i}`);
        if (status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: o.concurrency ?? 8 }, one));
    if (failed > 0) throw new Error(`${failed} of ${o.requests} requests were not answered 200`);
    // let the last responses' buffers go before reading
    await new Promise((r) => setTimeout(r, 200));
    const workers = o.workers > 1 ? childPids(skiff.pid) : [];
    return { primaryMib: vmRssMib(skiff.pid), workersMib: workers.map(vmRssMib) };
  } finally {
    agent.destroy();
    await skiff.stop(10_000);
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
}
