/**
 * What no replacement worker can fix ends the whole process with exit code 1 and says why: a
 * proxy port already taken (with `--workers 2` and with one process), and workers that die over
 * and over (a crash loop). While a worker is missing, /readyz says so; while the process stops for
 * such a problem, /healthz is 503 with the reason. Real processes on loopback ports.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchSkiff, repoRoot, skiffBin, skiffBuilt, waitFor, type Exit, type LaunchedSkiff } from '../helpers/process.js';
import { request } from '../helpers/http.js';

const built = skiffBuilt();
if (!built) console.warn('test/cluster: skipped, dist/ is missing (run `npm run build`)');

let dir: string;
let routesFile: string;
const running: LaunchedSkiff[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-worker-failures-'));
  routesFile = join(dir, 'routes.eskip');
  await writeFile(routesFile, `hello: Path("/hello") -> inlineContent("one") -> <shunt>;`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  // a test that failed half-way must not leave a process tree behind
  await Promise.all(running.splice(0).map((p) => p.stop(2000)));
});

function launch(args: readonly string[]): LaunchedSkiff {
  const p = launchSkiff(args);
  running.push(p);
  return p;
}

/** The exit, or an error naming what the process said, if it takes longer than `ms`. */
async function exitWithin(p: LaunchedSkiff, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${p.stderr().slice(-3000)}`)), ms);
  });
  try {
    return await Promise.race([p.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function holdPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s = net.createServer((socket) => socket.destroy());
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise((r) => s.close(() => r())) });
    });
  });
}

function childPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function supportUrlOf(p: LaunchedSkiff): string {
  const a = p.support();
  if (a === null) throw new Error(`no support listener:\n${p.stderr().slice(-3000)}`);
  return `http://127.0.0.1:${a.port}`;
}

const restarts = (p: LaunchedSkiff): number => p.logs.filter((l) => l.msg === 'worker exited; starting another').length;

describe.skipIf(!built)('a proxy port that is already taken', () => {
  let held: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    held = await holdPort();
  });
  afterAll(async () => {
    await held.close();
  });

  it('--workers 2: exits 1 within seconds, naming the listener, with no worker restarted', async () => {
    const p = launch(['--workers', '2', '--address', `127.0.0.1:${held.port}`, '--support-address', '127.0.0.1:0', '--routes-file', routesFile]);
    const exit = await exitWithin(p, 15_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(p.stderr()).toContain(`skiff: listener default 127.0.0.1:${held.port}: address already in use\n`);
    expect(p.logs).toContainEqual(expect.objectContaining({ msg: 'stopping the process', reason: `listener default 127.0.0.1:${held.port}: address already in use` }));
    expect(restarts(p)).toBe(0);
  }, 20_000);

  it('--workers 2: exits within seconds when the second worker comes up after the process began to stop', async () => {
    // The first worker to load the plugin goes on at once; the other waits a second, so the
    // drain is sent while it does not listen for messages yet (IPC drops such a message).
    const plugin = join(dir, 'second-worker-late.mjs');
    const marker = join(dir, 'second-worker-late');
    await writeFile(
      plugin,
      `import { openSync } from 'node:fs';
if (process.env.SKIFF_CLUSTER_WORKER === '1') {
  try { openSync(${JSON.stringify(marker)}, 'wx'); } catch { await new Promise((r) => setTimeout(r, 1000)); }
}
export const filters = [{ name: 'noop', create: () => ({}) }];
`,
    );
    const p = launch(['--workers', '2', '--address', `127.0.0.1:${held.port}`, '--support-address', '127.0.0.1:0', '--routes-file', routesFile, '--filter-plugin', plugin]);
    const exit = await exitWithin(p, 10_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(p.stderr()).toContain(`skiff: listener default 127.0.0.1:${held.port}: address already in use\n`);
  }, 15_000);

  it('--workers 1: exits 1 with the same message', async () => {
    const p = launch(['--workers', '1', '--address', `127.0.0.1:${held.port}`, '--support-address', '127.0.0.1:0', '--routes-file', routesFile]);
    const exit = await exitWithin(p, 10_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(p.stderr()).toContain(`skiff: listener default 127.0.0.1:${held.port}: address already in use\n`);
  }, 15_000);

  it('--workers 2: a taken support port exits 1 before any worker starts', async () => {
    const p = launch(['--workers', '2', '--address', '127.0.0.1:0', '--support-address', `127.0.0.1:${held.port}`, '--routes-file', routesFile]);
    const exit = await exitWithin(p, 10_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(p.stderr()).toContain(`skiff: support listener 127.0.0.1:${held.port}: address already in use\n`);
    expect(p.logs.some((l) => l.msg === 'worker listening')).toBe(false);
  }, 15_000);
});

/**
 * Port 1 needs privileges unless the system opens low ports to everyone. As root the process
 * runs as nobody (uid 65534), which cannot bind it.
 */
const lowPortsOpen = ((): boolean => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) <= 1;
  } catch {
    return false;
  }
})();
if (lowPortsOpen) console.warn('test/cluster: the permission test is skipped: every user may bind low ports here');

/**
 * As root the test runs skiff as nobody, who must be able to read node, the checkout and its
 * dependencies: a clone under a private home directory (/root) is not. Asked of nobody itself,
 * once, so that the test skips there instead of hanging.
 */
const nobodyCanRun = ((): boolean => {
  if (process.getuid?.() !== 0) return true;
  const needed = [skiffBin, join(repoRoot, 'dist/src/cli/main.js'), join(repoRoot, 'node_modules/undici/package.json')];
  const probe = spawnSync(process.execPath, ['-e', `for (const f of ${JSON.stringify(needed)}) require('fs').accessSync(f, require('fs').constants.R_OK)`], {
    cwd: repoRoot,
    uid: 65534,
    gid: 65534,
    timeout: 10_000,
    stdio: 'ignore',
  });
  return probe.status === 0;
})();
if (!lowPortsOpen && !nobodyCanRun) console.warn('test/cluster: the permission test is skipped: user nobody cannot read node or this checkout');

describe.skipIf(!built || lowPortsOpen || !nobodyCanRun)('a proxy port that needs privileges', () => {
  it('--workers 2: exits 1 with permission denied', async () => {
    // readable by nobody: mkdtemp makes a directory only its owner may enter
    const open = await mkdtemp(join(tmpdir(), 'skiff-worker-failures-open-'));
    await chmod(open, 0o755);
    const file = join(open, 'routes.eskip');
    await writeFile(file, `hello: Path("/hello") -> inlineContent("one") -> <shunt>;`);
    await chmod(file, 0o644);
    const asRoot = process.getuid?.() === 0;
    const child = spawn(process.execPath, [skiffBin, '--workers', '2', '--address', '127.0.0.1:1', '--support-address', '127.0.0.1:0', '--routes-file', file], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('exit', (c) => resolve(c));
      child.once('error', reject);
    });
    clearTimeout(timer);
    await rm(open, { recursive: true, force: true });
    expect(code, stderr.slice(-2000)).toBe(1);
    expect(stderr).toContain('skiff: listener default 127.0.0.1:1: permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)\n');
  }, 20_000);
});

describe.skipIf(!built)('a crash loop', () => {
  it('ends the process with exit 1 after five worker exits, not a fork loop', async () => {
    // Loaded by the primary and by each worker; only workers die, at once.
    const plugin = join(dir, 'dies-in-workers.mjs');
    await writeFile(
      plugin,
      `if (process.env.SKIFF_CLUSTER_WORKER === '1') process.exit(3);
export const filters = [{ name: 'noop', create: () => ({}) }];
`,
    );
    const p = launch(['--workers', '2', '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', routesFile, '--filter-plugin', plugin]);
    const exit = await exitWithin(p, 25_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(p.stderr()).toContain('skiff: workers crash-looping: 5 worker exits within 60 s, the last with exit code 3\n');
    // the first four exits were replaced, the fifth ended it
    expect(restarts(p)).toBe(4);
  }, 30_000);

  it('reports it: /readyz names the missing worker, then /healthz is 503 while the process stops', async () => {
    // The first worker lives; every later one dies as it loads. The first one then holds a
    // request to a backend that never answers, which keeps the fatal drain open long enough to
    // read /healthz.
    const plugin = join(dir, 'only-the-first-worker-lives.mjs');
    const marker = join(dir, 'first-worker');
    await writeFile(
      plugin,
      `import { openSync } from 'node:fs';
if (process.env.SKIFF_CLUSTER_WORKER === '1') {
  try { openSync(${JSON.stringify(marker)}, 'wx'); } catch { process.exit(3); }
}
export const filters = [{ name: 'noop', create: () => ({}) }];
`,
    );
    const silent = net.createServer(() => {});
    const connected = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const upstream = (silent.address() as net.AddressInfo).port;
    const file = join(dir, 'slow.eskip');
    await writeFile(file, `slow: Path("/slow") -> "http://127.0.0.1:${upstream}";`);
    const p = launch([
      '--workers', '2', '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0',
      '--routes-file', file, '--filter-plugin', plugin, '--shutdown-deadline', '3s',
    ]);
    try {
      await waitFor(() => p.logs.some((l) => l.msg === 'worker listening') || p.gone(), 15_000, 'the first worker never listened');
      expect(p.gone()).toBe(false);
      const supportUrl = supportUrlOf(p);
      const ready = await request(`${supportUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.text).toBe('workers listening: 1 of 2\n');
      expect((await request(`${supportUrl}/healthz`)).status).toBe(200);

      const port = p.listeners.get('default')!.port;
      const hanging = request(`http://127.0.0.1:${port}/slow`).catch(() => null);
      await connected;

      let health: { status: number; text: string } | null = null;
      await waitFor(async () => {
        health = await request(`${supportUrl}/healthz`).catch(() => null);
        return health !== null && health.status !== 200;
      }, 20_000, '/healthz stayed 200');
      expect(health).toEqual(expect.objectContaining({ status: 503, text: expect.stringMatching(/^stopping: workers crash-looping: 5 worker exits within 60 s/) }));
      const readyz = await request(`${supportUrl}/readyz`);
      expect(readyz.status).toBe(503);
      expect(readyz.text).toMatch(/^stopping: workers crash-looping/);

      const exit = await exitWithin(p, 15_000);
      expect(exit).toMatchObject({ code: 1, signal: null });
      await hanging;
    } finally {
      silent.close();
    }
  }, 45_000);
});

describe.skipIf(!built)('one worker that dies', () => {
  it('is replaced: /readyz is 503 until it listens, the counter shows 1, the process lives', async () => {
    const p = launch(['--workers', '2', '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', routesFile]);
    await waitFor(() => p.support() !== null || p.gone(), 15_000, 'the support listener never started');
    const supportUrl = supportUrlOf(p);
    await waitFor(async () => (await request(`${supportUrl}/readyz`)).status === 200, 15_000, '/readyz never 200');
    const [victim] = childPids(p.pid);
    process.kill(victim!, 'SIGKILL');
    let body = '';
    await waitFor(async () => {
      body = (await request(`${supportUrl}/readyz`)).text;
      return body !== 'ready\n';
    }, 5000, '/readyz stayed 200 with a worker gone', 10);
    expect(body, p.stderr().slice(-2000)).toBe('workers listening: 1 of 2\n');
    await waitFor(async () => (await request(`${supportUrl}/readyz`)).status === 200, 15_000, 'the replacement never listened');
    const metrics = (await request(`${supportUrl}/metrics`)).text;
    expect(/^skiff_worker_restarts_total .*$/m.exec(metrics)?.[0]).toBe('skiff_worker_restarts_total 1');
    expect((await request(`${supportUrl}/healthz`)).status).toBe(200);
    expect(p.gone()).toBe(false);
    expect(await p.stop(10_000), p.stderr().slice(-2000)).toMatchObject({ code: 0, signal: null });
  }, 40_000);
});
