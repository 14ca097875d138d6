// Instructions per request, counted by valgrind's callgrind: the bare undici proxy and skiff (1,000
// routes, metrics and XFF on, as in the suite), small GETs from autocannon over loopback.
//
// Why: on a shared machine a CPU-time A/B needs many rounds to see a 2 % change, while an
// instruction count repeats to within a few tenths of a percent. It does not see cache misses or
// stalls, so it is the instrument for finding and checking request-path savings; the suite
// (`npm run bench`) remains the judge of throughput.
//
// Usage: node bench/instructions.js [--warmup 10000] [--requests 5000] [--only bare,skiff]
// Needs valgrind (apt-get install valgrind); without it the script says so and exits 0. Under
// callgrind a process runs ~50x slower, so one target takes about a minute.
//
// Per target: the process starts with callgrind's instrumentation off, serves `warmup` requests
// (the JIT settles), takes two full collections (SIGUSR2, through a preloaded hook) so that no
// major GC falls into the counted window, serves `warmup` more, and then `requests` with the
// instrumentation on. The figure is every instruction of the process in that window (all threads,
// JIT code, V8, Node, libc) divided by the requests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { commandPath, startNginx } from './lib/native.js';
import { forkServer, freePort } from './lib/processes.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const warmup = Number(flag('warmup', '10000'));
const requests = Number(flag('requests', '5000'));
const only = flag('only', 'bare,skiff').split(',');

if (commandPath('valgrind') === null) {
  console.log('valgrind is not installed: nothing to count (apt-get install valgrind)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'skiff-instructions-'));
const gcHook = join(dir, 'gc-hook.mjs');
writeFileSync(gcHook, "process.on('SIGUSR2', () => { globalThis.gc(); globalThis.gc(); });\n");

const nginx = commandPath('nginx') !== null;
const backend = nginx
  ? await startNginx('bench/lib/nginx-backend.conf', { port: await freePort(), files: { '64k.bin': Buffer.alloc(65536, 'x'), upload: '' } })
  : await forkServer('bench/lib/backend.js', ['0']);
const origin = `http://127.0.0.1:${backend.port}`;
const routes = [];
for (let i = 0; i < 998; i++) routes.push(`r${i}: Host(/^svc${i}[.]example[.]org$/) && PathSubtree("/api/v${i % 7}/items") -> "${origin}";`);
routes.push(`target: Host(/^bench[.]example[.]org$/) && PathSubtree("/") -> "${origin}";`);
routes.push(`other: PathSubtree("/") -> "${origin}";`);
writeFileSync(join(dir, 'routes.eskip'), routes.join('\n'));

const run = (url, amount) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: 20, amount, headers: { host: 'bench.example.org' } }, (err, res) => (err ? reject(err) : resolve(res))),
  );

async function count(name) {
  const port = await freePort();
  const support = await freePort();
  const script =
    name === 'bare'
      ? ['bench/lib/bare-proxy.js', String(port), origin]
      : ['bin/skiff.js', '--log-level', 'warn', '--workers', '1', '--metrics', 'true', '--xff', 'append', '--routes-file', join(dir, 'routes.eskip'),
         '--address', `127.0.0.1:${port}`, '--support-address', `127.0.0.1:${support}`];
  const out = join(dir, `${name}.callgrind`);
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${out}`,
     process.execPath, '--no-memory-reducer', '--expose-gc', '--import', gcHook, ...script],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/`;
  try {
    const until = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await fetch(url, { headers: { host: 'bench.example.org' } })).status === 200) break;
      } catch {}
      if (Date.now() > until) throw new Error(`${name} did not answer under valgrind`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await run(url, warmup);
    process.kill(child.pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 3000));
    await run(url, warmup);
    execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
    const res = await run(url, requests);
    execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1000));
    if (res.non2xx + res.errors > 0) throw new Error(`${name}: ${res.non2xx} non-2xx answers, ${res.errors} errors`);
    const dump = readFileSync(`${out}.1`, 'utf8');
    const total = Number(/^totals: (\d+)/m.exec(dump)?.[1] ?? NaN);
    return total / requests;
  } finally {
    child.kill('SIGKILL');
  }
}

const results = {};
try {
  for (const name of only) results[name] = await count(name);
} finally {
  backend.stop();
}
console.log(`instructions per small GET under callgrind (${requests} counted after ${2 * warmup} warm-up requests, ${nginx ? 'nginx' : 'node:http'} backend)`);
for (const [name, ir] of Object.entries(results)) console.log(`${name.padEnd(8)} ${Math.round(ir).toLocaleString('en-US').padStart(9)}`);
if (results.bare !== undefined && results.skiff !== undefined) console.log(`skiff / bare: ${(results.skiff / results.bare).toFixed(3)}`);
process.exit(0);
