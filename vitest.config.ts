import { defineConfig } from 'vitest/config';

/**
 * Files that each get a fresh process. They change or measure process-wide state another file
 * would see: the rate limiters (shared by every route with the same settings, on purpose), the
 * OpenTelemetry global provider and which optional modules are loaded yet, the command line's
 * lazily loaded sources, the process's memory, timing budgets, and child process trees.
 */
const ownProcess = [
  'test/filters/ratelimit/**',
  'test/tracing/**',
  'test/cli/**',
  'test/deploy/**',
  'test/cluster/**',
  'test/e2e/**',
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
        // `dir/**` matches the helpers beside the tests too: only the test files are run.
        test: { name: 'own-process', include: ownProcess.map((p) => (p.endsWith('/**') ? `${p}/*.test.ts` : p)) },
      },
    ],
  },
});
