/**
 * `--workers 2` as a real process tree: both workers serve, a killed worker is replaced while
 * the listener stays up, and a routes-file change read by the primary reaches every worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { request } from '../helpers/http.js';

const built = skiffBuilt();
if (!built) console.warn('test/cluster: skipped, dist/ is missing (run `npm run build`)');

let skiff: SkiffProcess;
let routesFile: string;

function workerPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  if (!built) return;
  const dir = await mkdtemp(join(tmpdir(), 'skiff-workers-'));
  routesFile = join(dir, 'routes.eskip');
  await writeFile(routesFile, `hello: Path("/hello") -> inlineContent("one") -> <shunt>;`);
  skiff = await spawnSkiff(['--routes-file', routesFile, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', '2', '--log-level', 'info']);
}, 30_000);

afterAll(async () => {
  if (built) await skiff.stop(10_000);
});

async function served(supportUrl: string): Promise<number> {
  const text = (await request(`${supportUrl}/metrics`)).text;
  const m = /^skipper_serve_route_duration_seconds_count\{code="200",method="GET",route="hello"\} (\d+)$/m.exec(text);
  return m === null ? 0 : Number(m[1]);
}

describe.skipIf(!built)('--workers 2', () => {
  it('runs two worker processes that both serve', async () => {
    expect((await request(`${skiff.supportUrl}/metrics`)).text).toMatch(/^skiff_worker_restarts_total 0$/m);
    await waitFor(() => workerPids(skiff.pid).length === 2, 10_000, 'two workers never appeared');
    await waitFor(() => skiff.logs.filter((l) => l.msg === 'worker listening').length >= 2, 10_000, 'workers never listened');
    for (let i = 0; i < 10; i++) expect((await request(`${skiff.url}/hello`)).text).toBe('one');
  });

  it('replaces a worker that dies, without closing the listener', async () => {
    const [victim] = workerPids(skiff.pid);
    process.kill(victim!, 'SIGKILL');
    // Until the primary sees the exit, a connection it hands to the dead worker is lost (a Node
    // cluster limit); once it has, the surviving worker takes every connection.
    await waitFor(() => skiff.logs.some((l) => l.msg === 'worker exited; starting another'), 5000, 'the exit went unnoticed');
    for (let i = 0; i < 20; i++) expect((await request(`${skiff.url}/hello`)).status).toBe(200);
    await waitFor(() => {
      const pids = workerPids(skiff.pid);
      return pids.length === 2 && !pids.includes(victim!);
    }, 10_000, 'the dead worker was not replaced');
    await waitFor(() => skiff.logs.filter((l) => l.msg === 'worker listening').length >= 3, 10_000, 'the new worker never listened');
    // one replacement, counted on the primary's /metrics
    expect((await request(`${skiff.supportUrl}/metrics`)).text).toMatch(/^skiff_worker_restarts_total 1$/m);
  });

  it('serves the metrics of every worker, merged, on the primary support port', async () => {
    const before = await served(skiff.supportUrl);
    // Fresh connections are spread over both workers.
    await Promise.all(Array.from({ length: 30 }, () => request(`${skiff.url}/hello`)));
    const after = await served(skiff.supportUrl);
    expect(after - before).toBe(30);
    const text = (await request(`${skiff.supportUrl}/metrics`)).text;
    // Gauges that every worker reports alike are not summed.
    expect(text).toMatch(/^skipper_custom_gauges\{key="routes.total"\} 1$/m);
  });

  it('sends a routes-file change to every worker', async () => {
    await writeFile(routesFile, `hello: Path("/hello") -> inlineContent("two") -> <shunt>;`);
    await waitFor(async () => {
      // Fresh connections land on both workers; all must see the new table.
      const bodies = await Promise.all(Array.from({ length: 10 }, () => request(`${skiff.url}/hello`)));
      return bodies.every((r) => r.text === 'two');
    }, 10_000, 'not every worker got the new routes');
  });
});

describe.skipIf(!built)('--workers 2 shutdown', () => {
  it('drains every worker on SIGTERM: readiness 503, Connection: close, then exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-workers-drain-'));
    const file = join(dir, 'routes.eskip');
    await writeFile(file, `hello: Path("/hello") -> inlineContent("hi") -> <shunt>;`);
    const p = await spawnSkiff(['--routes-file', file, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', '2', '--drain-delay', '1s']);
    try {
      await waitFor(() => workerPids(p.pid).length === 2, 10_000, 'two workers never appeared');
      const workers = workerPids(p.pid);
      p.signal('SIGTERM');
      await waitFor(async () => (await request(`${p.supportUrl}/readyz`)).status === 503, 2000, 'readiness stayed 200');
      const during = await Promise.all(Array.from({ length: 6 }, () => request(`${p.url}/hello`)));
      for (const r of during) {
        expect(r.status).toBe(200);
        expect(r.headers.connection).toBe('close');
      }
      const exit = await p.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await p.stop(1000);
    }
    // Three processes start, drain and exit one after the other: under a loaded suite on two
    // cores that alone has come close to the default 20 s.
  }, 45_000);
});
