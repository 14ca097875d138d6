/**
 * The shipped alerting rules (deploy/monitoring/skiff-rules.yaml) and Grafana dashboard
 * (deploy/monitoring/skiff-dashboard.json) against what skiff really exports: skiff runs on
 * loopback, once as one process and once with --workers 2, with a configuration that exercises
 * what the rules watch (routes from a file and from a fake Kubernetes API server, a backend that
 * refuses connections, a JWT filter whose key set endpoint fails, a route set aside as invalid),
 * and every metric name in every rule and panel expression must have samples in its /metrics.
 * promtool, where installed (Debian package prometheus), checks the rules file too and runs the
 * rules' unit tests (test/deploy/skiff-rules.promtool.yaml).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { request } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { FakeApiServer, writeKubeconfig, type KubeconfigFile } from '../helpers/fake-apiserver.js';
import { expose, ingress, rule, startPod, type Pod } from '../kubernetes/e2e/harness.js';
import { metricNames, parseScrape, scraped, type Scrape } from './promql.js';

const rulesPath = join(repoRoot, 'deploy/monitoring/skiff-rules.yaml');
const dashboardPath = join(repoRoot, 'deploy/monitoring/skiff-dashboard.json');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const groups = (parse(readFileSync(rulesPath, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups;
const rules = groups.flatMap((g) => g.rules);

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; refId: string }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { name: string; type: string }[] } };
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every PromQL expression shipped, with where it is. */
const expressions = [
  ...rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })),
  ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr }))),
];

/** Series only the primary of --workers makes: one process has no workers to restart. */
const WORKERS_ONLY = ['skiff_worker_restarts_total'];

describe('deploy/monitoring', () => {
  it('has alerts for what an operator must hear about', () => {
    const uses = (name: string, also: RegExp = /./): string[] =>
      rules.filter((r) => metricNames(r.expr).includes(name) && also.test(r.expr)).map((r) => r.alert!);
    // error ratio, p99 latency
    expect(uses('skipper_serve_host_duration_seconds_count', /code=~"5\.\."/)).not.toEqual([]);
    expect(uses('skipper_serve_host_duration_seconds_bucket', /histogram_quantile\(0\.99,/)).not.toEqual([]);
    // the route table: last successful sync, behind the others, invalid routes
    expect(uses('skiff_kubernetes_last_sync_timestamp_seconds')).not.toEqual([]);
    expect(uses('skiff_kubernetes_synced')).not.toEqual([]);
    expect(uses('skipper_custom_gauges', /routes\.updated_timestamp/)).not.toEqual([]);
    expect(uses('skipper_route_invalid')).not.toEqual([]);
    // Kubernetes watch errors, worker restarts, JWKS errors
    expect(uses('skiff_kubernetes_api_errors_total')).not.toEqual([]);
    expect(uses('skiff_worker_restarts_total')).not.toEqual([]);
    expect(uses('skiff_jwks_fetch_errors_total')).not.toEqual([]);
  });

  it('gives every alert a severity, a summary and a description, and unique names', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.alert, r.expr).toMatch(/^Skiff[A-Z][A-Za-z0-9]+$/);
      expect(['page', 'ticket'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
    }
  });

  it('has a dashboard whose panels each query, with unique ids, on a chosen Prometheus', () => {
    expect(dashboard.uid).toBeTruthy();
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list.find((v) => v.type === 'datasource')?.name).toBe('datasource');
    const graphs = panels.filter((p) => p.type !== 'row');
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    for (const p of graphs) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(metricNames(t.expr), `${p.title}: ${t.expr}`).not.toEqual([]);
    }
  });

  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  const havePromtool = promtool.error === undefined && promtool.status === 0;
  if (!havePromtool) console.warn('test/deploy/monitoring: promtool check skipped, promtool is not installed (apt-get install prometheus)');
  it.skipIf(!havePromtool)('passes promtool check rules', () => {
    const out = spawnSync('promtool', ['check', 'rules', rulesPath], { encoding: 'utf8' });
    expect(out.status, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it.skipIf(!havePromtool)('fires as its promtool unit tests expect (test/deploy/skiff-rules.promtool.yaml)', () => {
    const out = spawnSync('promtool', ['test', 'rules', join(repoRoot, 'test/deploy/skiff-rules.promtool.yaml')], { encoding: 'utf8' });
    expect(out.status, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('SUCCESS');
  });
});

// --- the names against real scrapes ---------------------------------------------------------

const built = skiffBuilt();
if (!built) console.warn('test/deploy/monitoring: scrapes skipped, dist/ is missing (run `npm run build`)');

let fake: FakeApiServer;
let kubeconfig: KubeconfigFile;
let pod: Pod;
let backend: TestServer;
let jwks: TestServer;
let dir: string;

beforeAll(async () => {
  if (!built) return;
  fake = await FakeApiServer.start();
  kubeconfig = await writeKubeconfig(fake.url);
  pod = await startPod('web');
  expose(fake, [pod]);
  fake.create('ingresses', ingress('web', { rules: [rule('web.example.org', [['/', 'Prefix', 'web']])] }));
  backend = await startServer((_req, res) => res.end('ok\n'));
  // an identity provider that is down: every key set fetch fails
  jwks = await startServer((_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  dir = await mkdtemp(join(tmpdir(), 'skiff-monitoring-'));
  await writeFile(
    join(dir, 'routes.eskip'),
    [
      `app: Host("^app[.]example[.]org$") -> "${backend.url}";`,
      // nothing listens on port 1: the backend call fails
      `broken: Host("^broken[.]example[.]org$") -> "http://127.0.0.1:1";`,
      `secure: Host("^secure[.]example[.]org$") -> jwtValidationKeys("${jwks.url}/keys") -> inlineContent("secret") -> <shunt>;`,
      `bad: Host("^bad[.]example[.]org$") -> noSuchFilter() -> <shunt>;`,
      '',
    ].join('\n'),
  );
}, 30_000);

afterAll(async () => {
  if (!built) return;
  await jwks?.close();
  await backend?.close();
  await pod?.close();
  await fake?.close();
  await kubeconfig?.remove();
  await rm(dir, { recursive: true, force: true });
});

/** Requests that make every kind of series: served, 5xx from a backend, 401, 404, 500 of an invalid route. */
async function exercise(skiff: SkiffProcess): Promise<void> {
  const send = (host: string, headers: Record<string, string> = {}) => request(`${skiff.url}/x`, { headers: { host, ...headers } });
  // both workers take connections in turn: a few of each kind
  for (let i = 0; i < 4; i++) {
    expect((await send('app.example.org')).status).toBe(200);
    expect((await send('web.example.org')).status).toBe(200);
    expect((await send('broken.example.org')).status).toBe(502);
    expect((await send('secure.example.org', { authorization: 'Bearer a.b.c' })).status).toBe(401);
    expect((await send('bad.example.org')).status).toBe(500);
    expect((await send('nobody.example.org')).status).toBe(404);
  }
}

for (const workers of [1, 2]) {
  describe.skipIf(!built)(`every metric the rules and the dashboard use, scraped from ${workers === 1 ? 'one process' : '--workers 2'}`, () => {
    let skiff: SkiffProcess;
    let scrape: Scrape;

    beforeAll(async () => {
      skiff = await spawnSkiff(
        ['--routes-file', join(dir, 'routes.eskip'), '--kubernetes', '--kubeconfig', kubeconfig.path, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', String(workers)],
        { startTimeoutMs: 30_000 },
      );
      // the Ingress from the API is routed once the source has synced
      await waitFor(async () => (await request(`${skiff.url}/`, { headers: { host: 'web.example.org' } })).status === 200, 15_000, 'the Ingress was never routed');
      await exercise(skiff);
      // the key set fetches run beside the requests
      await waitFor(async () => /^skiff_jwks_fetch_errors_total\{[^}]*\} [1-9]/m.test((await request(`${skiff.supportUrl}/metrics`)).text), 10_000, 'no failed key set fetch counted');
      scrape = parseScrape((await request(`${skiff.supportUrl}/metrics`)).text);
    }, 60_000);

    afterAll(async () => {
      await skiff?.stop(10_000);
    });

    it('has samples for every name in every expression', () => {
      const missing = expressions.flatMap(({ where, expr }) => metricNames(expr).filter((n) => !scraped(n, scrape)).map((n) => `${n} (${where})`));
      const allowed = workers === 1 ? WORKERS_ONLY : [];
      expect(missing.filter((m) => !allowed.some((a) => m.startsWith(`${a} `)))).toEqual([]);
    });

    it('reads a _bucket, _sum or _count name only of a histogram', () => {
      for (const { where, expr } of expressions) {
        for (const n of metricNames(expr)) {
          const m = /^(.*)_(bucket|sum|count)$/.exec(n);
          if (m !== null) expect(scrape.types.get(m[1]!), `${n} in ${where}`).toMatch(/^(histogram|summary)$/);
        }
      }
    });

    it(workers === 1 ? 'lacks only the worker series in one process' : 'counts worker restarts in the primary', () => {
      for (const name of WORKERS_ONLY) expect(scraped(name, scrape), name).toBe(workers > 1);
    });
  });
}
