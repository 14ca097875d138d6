/**
 * skiff as a real operating-system process for end-to-end tests: `node bin/skiff.js` with the
 * given arguments, its JSON log lines collected, its bound ports read from the "listening" lines
 * (so tests can pass port 0), and its exit observable. Needs the build output in dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const skiffBin = fileURLToPath(new URL('../../bin/skiff.js', import.meta.url));
const builtMain = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Whether `bin/skiff.js` can run: it loads the compiled code from dist/ (`npm ci` or `npm run build`). */
export function skiffBuilt(): boolean {
  return existsSync(builtMain);
}

export interface LogLine {
  readonly time?: string;
  readonly level?: string;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() when the process ended. */
  readonly at: number;
}

export interface SkiffProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Bound proxy listeners by name (`default` is --address). */
  readonly listeners: ReadonlyMap<string, { host: string; port: number }>;
  /** http://127.0.0.1:PORT of the default listener. */
  readonly url: string;
  /** http://127.0.0.1:PORT of the support listener. */
  readonly supportUrl: string;
  /** Every JSON log line so far, in order. */
  readonly logs: LogLine[];
  /** Everything written to stderr, for failure messages. */
  stderr(): string;
  readonly exited: Promise<Exit>;
  /** Sends a signal; false when the process is already gone. */
  signal(sig: NodeJS.Signals): boolean;
  /** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  /** Extra environment; SKIFF_* variables of the test runner are never inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long start-up may take (default 15 s). */
  readonly startTimeoutMs?: number;
}

/** A started process whose start-up is not awaited: for tests of what happens before it is ready. */
export interface LaunchedSkiff {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logs: LogLine[];
  /** Proxy listeners logged as bound so far, by name. */
  readonly listeners: ReadonlyMap<string, { host: string; port: number }>;
  /** The support listener once start-up has finished (it is logged last), else null. */
  support(): { host: string; port: number } | null;
  stderr(): string;
  readonly exited: Promise<Exit>;
  /** Whether the process has ended. */
  gone(): boolean;
  /** Called after every log line and at exit. */
  onProgress(listener: (() => void) | null): void;
  signal(sig: NodeJS.Signals): boolean;
  stop(graceMs?: number): Promise<Exit>;
}

/** Starts `node bin/skiff.js ...args` without waiting for anything. */
export function launchSkiff(args: readonly string[], opts: Pick<SpawnOptions, 'env'> = {}): LaunchedSkiff {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SKIFF_') && k !== 'KUBERNETES_SERVICE_HOST') env[k] = v;
  // One process unless a test asks for workers (test/cluster does): the suite runs many of these
  // side by side on two cores, and the worker tree has tests of its own.
  env.SKIFF_WORKERS = '1';
  Object.assign(env, opts.env);
  const child = spawn(process.execPath, [skiffBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const listeners = new Map<string, { host: string; port: number }>();
  let support: { host: string; port: number } | null = null;
  let stderrText = '';
  let pending = '';
  let progress: (() => void) | null = null;
  let gone = false;

  child.stdout!.resume();
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrText += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        continue;
      }
      logs.push(parsed);
      if (parsed.msg === 'listening' && typeof parsed.address === 'string' && typeof parsed.listener === 'string') {
        listeners.set(parsed.listener, splitAddress(parsed.address));
      } else if (parsed.msg === 'support listener' && typeof parsed.address === 'string') {
        support = splitAddress(parsed.address);
      }
      progress?.();
    }
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal, at: performance.now() });
      progress?.();
    });
  });
  return {
    child,
    pid: child.pid!,
    logs,
    listeners,
    support: () => support,
    stderr: () => stderrText,
    exited,
    gone: () => gone,
    onProgress: (listener) => void (progress = listener),
    signal: (sig) => !gone && child.kill(sig),
    async stop(graceMs = 10_000) {
      if (gone) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/**
 * Starts `node bin/skiff.js ...args` and resolves once every listener is bound and /readyz
 * answers 200. Pass `--address 127.0.0.1:0 --support-address 127.0.0.1:0` to get free ports.
 */
export async function spawnSkiff(args: readonly string[], opts: SpawnOptions = {}): Promise<SkiffProcess> {
  const p = launchSkiff(args, opts);
  const timeoutMs = opts.startTimeoutMs ?? 15_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`skiff did not start within ${timeoutMs} ms:\n${p.stderr()}`)), timeoutMs);
      const check = (): void => {
        if (p.gone()) {
          clearTimeout(timer);
          reject(new Error(`skiff exited during start-up:\n${p.stderr()}`));
        } else if (p.support() !== null) {
          // "support listener" is logged last in start(): every proxy listener is bound by now
          clearTimeout(timer);
          resolve();
        }
      };
      p.onProgress(check);
      check();
    });
  } catch (err) {
    p.child.kill('SIGKILL');
    throw err;
  } finally {
    p.onProgress(null);
  }

  const supportUrl = `http://127.0.0.1:${p.support()!.port}`;
  await waitFor(async () => (await probe(`${supportUrl}/readyz`)) === 200, timeoutMs, 'skiff /readyz never answered 200');
  const main = p.listeners.get('default');
  if (main === undefined) throw new Error(`skiff logged no default listener:\n${p.stderr()}`);
  return {
    child: p.child,
    pid: p.pid,
    listeners: p.listeners,
    url: `http://127.0.0.1:${main.port}`,
    supportUrl,
    logs: p.logs,
    stderr: p.stderr,
    exited: p.exited,
    signal: p.signal,
    stop: p.stop,
  };
}

/** Runs `node bin/skiff.js ...args` to completion (for --help, --version, bad options). */
export function runSkiff(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [skiffBin, ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The status of a GET on a fresh connection, or 0 when the connection fails. */
export function probe(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string, everyMs = 25): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > end) throw new Error(message);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** A port on 127.0.0.1 that was free a moment ago (nothing listens on it when this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
