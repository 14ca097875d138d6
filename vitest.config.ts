import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Files that each get a fresh process. They change or measure process-wide state another file
 * would see: the rate limiters (shared by every route with the same settings, on purpose), the
 * OpenTelemetry global provider and which optional modules are loaded yet, the command line's
 * lazily loaded sources, the process's memory, timing budgets, and child process trees.
 */
const ownProcess = [
  'test/filters/ratelimit/**/*.test.ts',
  'test/tracing/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/deploy/**/*.test.ts',
  'test/cluster/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/eskip/performance.test.ts',
  'test/net/cidr-set.test.ts',
  'test/kubernetes/e2e/latency.test.ts',
  'test/kubernetes/translate/translate.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: one worker on a two-core machine. Most
    // files spend their time waiting on timers, sockets and child processes, not computing, and
    // two workers there took half the time of one (the files' own times stayed the same).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ownProcess,
          // A fresh process per file cost about as much as the tests of a typical file. The
          // files here leave no global state behind: servers, timers and handlers are closed by
          // the file that opened them.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'own-process', include: ownProcess },
      },
    ],
  },
});
