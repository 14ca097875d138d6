/**
 * The primary of `--workers N`: it owns the route sources, the support listener and the
 * readiness state, forks the workers, sends them every listener's definitions, replaces a worker
 * that dies (the listening sockets stay open in the primary), and leads the drain on SIGTERM.
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

export function createPrimary(config: SkiffConfig, options: PrimaryOptions, log: Logger): Skiff {
  /** Each listener's whole list, for workers that start later or ask again. */
  const latest = new Map<string, RoutesMessage>();
  const sent = new Map<string, RouteSet>();
  const listening = new Map<Worker, Set<string>>();
  const listenerNames = config.listeners.map((l) => l.name);
  let stopping = false;
  let lastCrash = 0;
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
      if (m.skiff === 'ready') for (const msg of latest.values()) sendTo(w, msg);
      else if (m.skiff === 'resend') {
        const msg = latest.get(m.listener);
        if (msg !== undefined) sendTo(w, msg);
      } else if (m.skiff === 'listening') {
        listening.get(w)?.add(m.listener);
        log.info('worker listening', { worker: w.process.pid, listener: m.listener, address: `${m.host}:${m.port}` });
      }
    });
    w.on('exit', (code, signal) => {
      listening.delete(w);
      if (stopping) return;
      log.error('worker exited; starting another', { worker: w.process.pid, code, signal });
      // A worker that keeps crashing at start must not turn into a fork loop.
      const now = Date.now();
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
    // Ready once some worker serves every listener.
    readyCheck: () => [...listening.values()].some((set) => listenerNames.every((n) => set.has(n))),
    onDrain: () => {
      stopping = true;
      for (const w of everyWorker()) sendTo(w, { skiff: 'drain', delayMs: drainDelayMs });
    },
    afterDrainDelay: () => allExited((config.shutdownDeadlineMs ?? 30_000) + 5000),
  });

  if (options.execArgv !== undefined) cluster.setupPrimary({ execArgv: [...options.execArgv] });
  return {
    ...skiff,
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
