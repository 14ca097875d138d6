/**
 * The primary of `--workers N`: it owns the route sources, the support listener and the
 * readiness state, forks the workers, sends them every listener's definitions, replaces a worker
 * that dies (the listening sockets stay open in the primary), and leads the drain on SIGTERM.
 *
 * Two problems no replacement can fix end the whole process instead (`failed` settles, and the
 * command line drains and exits 1): a worker that cannot bind a listener (every replacement
 * would fail the same way), and a crash loop. Kubernetes then restarts the pod with its back-off
 * and shows the restarts, where a primary forking forever behind a live /healthz shows nothing.
 */
import cluster, { type Worker } from 'node:cluster';
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';
import type { Skiff, SkiffConfig } from '../skiff.js';
import type { Logger } from '../log.js';
import { createSkiff } from '../skiff.js';
import type { Registry } from 'prom-client';
import { isWorkerMessage, type PrimaryMessage, type RoutesMessage } from './messages.js';
import { workerRestartsCounter } from './metrics.js';
import { routesMessage, type RouteSet } from './route-delta.js';

export interface PrimaryOptions {
  readonly workers: number;
  /** Extra arguments for the forked workers' node (e.g. --cpu-prof). */
  readonly execArgv?: readonly string[];
  /** The primary's metrics registry (skiff_worker_restarts_total); none when metrics are off. */
  readonly registry?: Registry;
}

/**
 * A crash loop: this many unexpected worker exits within the window. Five in a minute: a worker
 * that crashes at start (a bad plugin, a bad option, no memory) reaches it within seconds, since
 * every worker dies at once and then each replacement (the second of two exits within 5 s waits
 * 1 s); a worker killed now and then (an OOM kill in a burst, a kill by hand) is replaced and
 * stays far below it. Exits are counted across workers: they run the same code and options, so a
 * crash that repeats is the process's problem, not one worker's.
 */
export const CRASH_LOOP_EXITS = 5;
export const CRASH_LOOP_WINDOW_MS = 60_000;

export interface Primary extends Skiff {
  /** Settles with the reason when the process must stop for a problem replacements cannot fix. */
  readonly failed: Promise<string>;
}

export function createPrimary(config: SkiffConfig, options: PrimaryOptions, log: Logger): Primary {
  /** Each listener's whole list, for workers that start later or ask again. */
  const latest = new Map<string, RoutesMessage>();
  const sent = new Map<string, RouteSet>();
  const listening = new Map<Worker, Set<string>>();
  const listenerNames = config.listeners.map((l) => l.name);
  let stopping = false;
  let lastCrash = 0;
  /** When the recent unexpected exits happened, oldest first, within CRASH_LOOP_WINDOW_MS. */
  const exits: number[] = [];
  /** The reason the process stops, once a worker cannot listen or the workers crash-loop. */
  let fatal: string | null = null;
  let reportFailure: (reason: string) => void = () => {};
  const failed = new Promise<string>((resolve) => (reportFailure = resolve));
  const fail = (reason: string): void => {
    // a drain already under way ends the process anyway
    if (fatal !== null || stopping) return;
    fatal = reason;
    stopping = true;
    log.error('stopping the process', { reason });
    reportFailure(reason);
  };
  const restarts = options.registry === undefined ? null : workerRestartsCounter(options.registry);

  const sendTo = (w: Worker, m: PrimaryMessage): void => {
    if (w.isConnected()) w.send(m);
  };
  const everyWorker = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const fork = (): void => {
    const w = cluster.fork({ SKIFF_CLUSTER_WORKER: '1' });
    listening.set(w, new Set());
    w.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      if (m.skiff === 'ready') {
        // A drain sent before the worker listened for messages is lost (IPC drops messages that
        // find no listener): one that comes up while the process stops is told again, or the
        // process would wait the whole shutdown deadline for it.
        if (stopping) sendTo(w, { skiff: 'drain', delayMs: drainDelayMs });
        else for (const msg of latest.values()) sendTo(w, msg);
      }
      else if (m.skiff === 'resend') {
        const msg = latest.get(m.listener);
        if (msg !== undefined) sendTo(w, msg);
      } else if (m.skiff === 'cannot-listen') {
        fail(m.reason);
      } else if (m.skiff === 'listening') {
        listening.get(w)?.add(m.listener);
        log.info('worker listening', { worker: w.process.pid, listener: m.listener, address: `${m.host}:${m.port}` });
      }
    });
    w.on('exit', (code, signal) => {
      listening.delete(w);
      if (stopping) return;
      const now = Date.now();
      exits.push(now);
      while (exits[0]! <= now - CRASH_LOOP_WINDOW_MS) exits.shift();
      if (exits.length >= CRASH_LOOP_EXITS) {
        const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
        fail(`workers crash-looping: ${exits.length} worker exits within ${CRASH_LOOP_WINDOW_MS / 1000} s, the last with ${how}`);
        return;
      }
      log.error('worker exited; starting another', { worker: w.process.pid, code, signal });
      // A worker that keeps crashing at start must not turn into a fork loop.
      const wait = now - lastCrash < 5000 ? 1000 : 0;
      lastCrash = now;
      setTimeout(() => {
        if (stopping) return;
        restarts?.inc();
        fork();
      }, wait).unref();
    });
  };

  const allExited = (deadlineMs: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (everyWorker().length === 0) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        for (const w of everyWorker()) w.process.kill('SIGKILL');
        clearInterval(poll);
        resolve();
      }, deadlineMs);
      const poll = setInterval(check, 50);
      check();
    });

  let drainDelayMs = config.drainDelayMs ?? 0;
  const skiff = createSkiff({
    ...config,
    serveTraffic: false,
    onDefinitions: (listener: string, routes: readonly RouteDefinition[], invalid: readonly InvalidRoute[]) => {
      // after an endpoint change, only the few definitions that changed (see route-delta.ts)
      const { message, whole, sent: now } = routesMessage(listener, sent.get(listener), routes, invalid);
      sent.set(listener, now);
      latest.set(listener, whole);
      for (const w of everyWorker()) sendTo(w, message);
    },
    // Ready once every worker serves every listener; a replacement starting counts as not ready.
    readyCheck: () => {
      const serving = [...listening.values()].filter((set) => listenerNames.every((n) => set.has(n))).length;
      return serving >= options.workers ? null : `workers listening: ${serving} of ${options.workers}`;
    },
    healthCheck: () => (fatal === null ? null : `stopping: ${fatal}`),
    onDrain: () => {
      stopping = true;
      for (const w of everyWorker()) sendTo(w, { skiff: 'drain', delayMs: drainDelayMs });
    },
    afterDrainDelay: () => allExited((config.shutdownDeadlineMs ?? 30_000) + 5000),
  });

  if (options.execArgv !== undefined) cluster.setupPrimary({ execArgv: [...options.execArgv] });
  return {
    ...skiff,
    failed,
    get draining() {
      return skiff.draining;
    },
    get supportAddress() {
      return skiff.supportAddress;
    },
    async start(): Promise<void> {
      await skiff.start();
      for (let i = 0; i < options.workers; i++) fork();
    },
    async stop(opts?: { drainDelayMs?: number }): Promise<void> {
      if (opts?.drainDelayMs !== undefined) drainDelayMs = opts.drainDelayMs;
      await skiff.stop(opts);
    },
  };
}
