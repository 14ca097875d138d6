// Cost of the access filters, as ratios to the same route without them, in one run: skiff (from
// dist/, built with `npm run build`) in its own process with a client-IP policy trusting the
// loopback peer, an echo backend in another, autocannon here. Every request carries
// X-Forwarded-For and a bearer token, so all routes pay the same parsing; the routes differ only
// in their filters:
//   base        no filter
//   control     one trivial filter (setRequestHeader): what any filter costs in the proxy
//   jwt         jwtClaimToHeader, RS256 via a JWKS (keys cached, verified-token cache on)
//   jwt-nocache the same with cacheTtl=0: one RS256 verification per request (keys cached)
//   cidr-1000   ipAllowList with 1,000 CIDR blocks, the client IP resolved from X-Forwarded-For
// Each route is measured against base in A-B-B-A order (two alternating rounds), and its ratio is
// variant/base over those runs, so drift on a shared machine cancels out instead of landing on
// one route. Usage: node bench/access.js [--duration 5] [--rounds 1] [--connections 32]
import http from 'node:http';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchIssuer, claims } from './lib/jwt-issuer.js';
import { forkServer, freePort, load } from './lib/processes.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};

if (process.argv[2] === '--role-proxy') {
  await runProxy(process.argv[3], Number(process.argv[4]));
} else {
  await main();
}

/** The skiff process: library API from dist/, a client-IP policy trusting 127.0.0.1 (one hop). */
async function runProxy(routesFile, port) {
  const { createSkiff } = await import('../dist/src/skiff.js');
  const { RoutesFileSource } = await import('../dist/src/sources/routes-file.js');
  const { silentLogger } = await import('../dist/src/log.js');
  const { createClientIpPolicy } = await import('../dist/src/proxy/client-ip.js');
  const skiff = createSkiff({
    listeners: [{ name: 'bench', host: '127.0.0.1', port }],
    support: null,
    sources: [new RoutesFileSource([routesFile], silentLogger)],
    clientIp: createClientIpPolicy({ trustedProxies: ['127.0.0.1/32'], hops: 1 }),
    log: silentLogger,
  });
  await skiff.start();
  process.send?.({ port: skiff.addresses.get('bench').port });
  process.on('disconnect', () => process.exit(0));
}

async function main() {
  if (!existsSync(new URL('../dist/src/skiff.js', import.meta.url))) {
    console.error('bench/access.js needs the compiled build: run `npm run build` first');
    process.exit(1);
  }
  const duration = arg('duration', 5);
  const rounds = arg('rounds', 1);
  const connections = arg('connections', 32);

  // keys and a JWKS endpoint; fetched once by skiff, so serving it from here costs nothing during runs
  const { publicKey, jwks, token } = await benchIssuer();
  let jwksFetches = 0;
  const keyServer = http.createServer((req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise((r) => keyServer.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${keyServer.address().port}/keys`;

  const backend = await forkServer('bench/lib/backend.js', ['0', '13']);
  const origin = `http://127.0.0.1:${backend.port}`;

  // 1,000 disjoint /24 blocks; the client's address is in the last one
  const blocks = Array.from({ length: 999 }, (_, i) => `10.${(i >> 8) + 1}.${i & 255}.0/24`);
  blocks.push('192.0.2.0/24');
  const jwtConfig = `jwks=${jwksUrl} ${claims}`;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-access-'));
  const routesFile = join(dir, 'routes.eskip');
  writeFileSync(
    routesFile,
    [
      `base: Path("/base") -> "${origin}";`,
      `control: Path("/control") -> setRequestHeader("X-Bench", "1") -> "${origin}";`,
      `jwt: Path("/jwt") -> jwtClaimToHeader("${jwtConfig}", "sub", "X-User-Id", "org.team", "X-Team") -> "${origin}";`,
      `jwtNoCache: Path("/jwt-nocache") -> jwtClaimToHeader("${jwtConfig} cacheTtl=0", "sub", "X-User-Id", "org.team", "X-Team") -> "${origin}";`,
      `cidr: Path("/cidr-1000") -> ipAllowList(${blocks.map((b) => `"${b}"`).join(', ')}) -> "${origin}";`,
    ].join('\n'),
  );
  const proxy = await forkServer('bench/access.js', ['--role-proxy', routesFile, String(await freePort())]);
  const base = `http://127.0.0.1:${proxy.port}`;
  const headers = { authorization: `Bearer ${token}`, 'x-forwarded-for': '198.51.100.7, 192.0.2.55' };
  const variants = ['control', 'jwt', 'jwt-nocache', 'cidr-1000'];
  const runs = Object.fromEntries(['base', ...variants].map((n) => [n, []]));
  const ratios = Object.fromEntries(variants.map((n) => [n, []]));
  const measure = async (name) => {
    const r = await load(`${base}/${name}`, { connections, duration, headers });
    runs[name].push(r);
    return r.rps;
  };

  try {
    for (const name of ['base', ...variants]) {
      const warm = await load(`${base}/${name}`, { connections, duration: 1, headers });
      if (warm.errors > 0) throw new Error(`${name}: ${warm.errors} errors or non-2xx replies during warm-up`);
    }
    // base and variant alternate (A B B A per round): drift on a shared machine cancels out of the ratio
    for (const name of variants) {
      for (let round = 0; round < rounds; round++) {
        const a1 = await measure('base');
        const b1 = await measure(name);
        const b2 = await measure(name);
        const a2 = await measure('base');
        ratios[name].push((b1 + b2) / (a1 + a2));
      }
    }
  } finally {
    proxy.stop();
    backend.stop();
    keyServer.close();
  }

  const mean = (list, key) => list.reduce((sum, r) => sum + (key === undefined ? r : r[key]), 0) / list.length;
  console.log(`access filters: small GET, ${connections} connections, ${duration}s runs, ${rounds} A-B-B-A round(s) per route, node ${process.version}`);
  console.log('route'.padEnd(13), 'req/s'.padStart(9), 'p99 ms'.padStart(8), 'vs base'.padStart(8), 'errors'.padStart(7));
  const summary = {};
  for (const name of ['base', ...variants]) {
    const ratio = name === 'base' ? 1 : mean(ratios[name]);
    const errors = runs[name].reduce((sum, r) => sum + r.errors, 0);
    summary[name] = { rps: Math.round(mean(runs[name], 'rps')), p99: mean(runs[name], 'p99'), ratio: Number(ratio.toFixed(3)), errors };
    console.log(name.padEnd(13), String(summary[name].rps).padStart(9), summary[name].p99.toFixed(1).padStart(8), `${ratio.toFixed(2)}x`.padStart(8), String(errors).padStart(7));
  }
  console.log(`JWKS fetched ${jwksFetches} time(s)`);
  const perRequest = await filterCosts(token, publicKey, blocks);
  const budgetNs = 1e9 / summary.base.rps;
  console.log(`in-process cost per request (ns), and as a share of one base request (${Math.round(budgetNs)} ns of wall time):`);
  for (const [name, ns] of Object.entries(perRequest)) console.log(`  ${name.padEnd(34)} ${String(Math.round(ns)).padStart(7)}  ${((100 * ns) / budgetNs).toFixed(1)}%`);
  console.log(JSON.stringify({ bench: 'access', connections, duration, rounds, results: summary, filterNs: perRequest }));
}

/**
 * The filters' own CPU time, measured in this process with no sockets: steadier than req/s on a
 * shared machine, and what the ratios above should converge to.
 */
async function filterCosts(token, publicKey, blocks) {
  const { exportSPKI } = await import('jose');
  const { jwtClaimToHeader } = await import('../dist/filters/auth/jwt-claim-to-header.js');
  const { ipAllowList } = await import('../dist/filters/ip/ip-allow-list.js');
  const { createClientIpPolicy } = await import('../dist/src/proxy/client-ip.js');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-key-'));
  writeFileSync(join(dir, 'key.pem'), await exportSPKI(publicKey));
  const config = `keyFile=${join(dir, 'key.pem')} ${claims}`;
  const jwt = jwtClaimToHeader.create([config, 'sub', 'X-User-Id', 'org.team', 'X-Team']);
  const allow = ipAllowList.create(blocks);
  const policy = createClientIpPolicy({ trustedProxies: ['127.0.0.1/32'], hops: 1 });
  // fresh header strings, as the HTTP parser gives them: the cache must hash each one
  const authorizations = Array.from({ length: 512 }, () => `Bearer ${token.split('.').join('.')}`);
  const ctx = (i) => ({
    request: { headers: { authorization: authorizations[i & 511] }, clientIp: '192.0.2.55' },
    outgoing: { headers: { 'x-user-id': 'forged' } },
    state: new Map(),
    serve() {
      throw new Error('refused');
    },
  });
  await jwt.request(ctx(0));
  const jwtNoCache = jwtClaimToHeader.create([`${config} cacheTtl=0`, 'sub', 'X-User-Id', 'org.team', 'X-Team']);
  // awaits only what is a promise: the synchronous paths are timed without a microtask each
  const time = async (n, fn) => {
    const loop = async (count) => {
      for (let i = 0; i < count; i++) {
        const r = fn(i);
        if (r !== undefined && typeof r.then === 'function') await r;
      }
    };
    await loop(Math.min(n, 1000));
    const t0 = process.hrtime.bigint();
    await loop(n);
    return Number(process.hrtime.bigint() - t0) / n;
  };
  // the baseline builds and uses the context as the filters do, so allocation is not optimised away
  const touch = { request: (c) => void (c.outgoing.headers['x-touched'] = c.request.clientIp) };
  const empty = await time(200_000, (i) => touch.request(ctx(i)));
  const costs = {
    'jwtClaimToHeader, cached token': (await time(200_000, (i) => jwt.request(ctx(i)))) - empty,
    'jwtClaimToHeader, RS256 every time': (await time(2_000, (i) => jwtNoCache.request(ctx(i)))) - empty,
    'ipAllowList, 1,000 blocks': (await time(200_000, (i) => allow.request(ctx(i)))) - empty,
    'client IP from X-Forwarded-For': await time(200_000, () => policy.resolve('127.0.0.1', '198.51.100.7, 192.0.2.55')),
  };
  jwt.close();
  jwtNoCache.close();
  return costs;
}
