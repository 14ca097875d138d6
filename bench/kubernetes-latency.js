// Change-to-traffic latency of the Kubernetes path: skiff reading a fake API server over the real
// client and watch; the time from an API event (Ingress created, EndpointSlice changed) to the first
// request served by the new table, as p50/p99. The measurement lives in a test file (it needs the
// TypeScript fake API server), run here with more changes:
//   node bench/kubernetes-latency.js [--changes 100]
import { spawnSync } from 'node:child_process';

const i = process.argv.indexOf('--changes');
const changes = i === -1 ? 100 : Number(process.argv[i + 1]);
const run = spawnSync('npx', ['vitest', 'run', 'test/kubernetes/e2e/latency.test.ts', '--reporter', 'verbose'], {
  env: { ...process.env, SKIFF_LATENCY_CHANGES: String(changes) },
  encoding: 'utf8',
});
const out = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
const line = out.split('\n').find((l) => l.includes('change → first request'));
console.log(`kubernetes change-to-traffic latency, ${changes} changes, debounce 100 ms (max 500 ms), node ${process.version}`);
console.log(line ? line.trim() : out);
console.log('Skipper, for comparison, polls the API every 3 s (-source-poll-timeout=3000).');
process.exitCode = run.status ?? 1;
