/**
 * `skiff check`: an offline validation of routes files, Ingress manifests and filter plugins that
 * prints one `FILE:LINE:COLUMN: message` line per problem and exits 0, 1 or 2. Most cases run the
 * command in this process; the last runs `node bin/skiff.js check` for the exit codes CI sees.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/check.js';
import { runSkiff, skiffBuilt } from '../helpers/process.js';
import { tempFiles } from '../helpers/temp-files.js';

const temp = tempFiles('skiff-check-');
const file = temp.file;

async function check(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[]; err: string }> {
  let out = '';
  let err = '';
  const code = await runCheck(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out: out.split('\n').filter((l) => l !== ''), err };
}

const service = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: team}
spec: {ports: [{port: 80, targetPort: 8080}]}
`;

function ingress(name: string, annotations: Record<string, string> = {}, ingressClass = 'skiff'): string {
  const ann = Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: team
${ann === '' ? '' : `  annotations:\n${ann}`}spec:
  ingressClassName: ${ingressClass}
  rules:
    - host: ${name}.example.org
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;
}

describe('skiff check', () => {
  it('passes a valid configuration with a one-line summary (exit 0)', async () => {
    const routes = await file('ok/routes.eskip', 'a: Path("/a") -> setPath("/b") -> "http://127.0.0.1:1";\nb: * -> <shunt>;\n');
    await file('ok/manifests/app.yaml', `${service}---\n${ingress('app', { 'zalando.org/skipper-filter': 'setRequestHeader("X-A", "1")' })}`);
    const r = await check(['--routes-file', routes, '--ingress-dir', join(temp.dir, 'ok/manifests')]);
    // 2 from the file, the Ingress's route, and the two health-check routes
    expect(r).toEqual({ code: 0, out: ['5 routes OK'], err: '' });
  });

  it('points at the definition of every route that would not build, and at a parse error', async () => {
    const routes = await file(
      'routes.eskip',
      '// routes\ngood: Path("/good") -> <shunt>;\n\nbad: Path("/bad")\n  -> noSuchFilter()\n  -> <shunt>;\n  args: * -> setPath(1, 2) -> <shunt>;\n',
    );
    const broken = await file('broken.eskip', 'a: * ->\n  <shunt> b');
    const r = await check(['--routes-file', routes, '--routes-file', broken]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      expect.stringMatching(new RegExp(`^${broken}:2:11: expected .*`)),
      `${routes}:4:1: route bad: unknown filter noSuchFilter [SKIFF_ERR_UNKNOWN_FILTER]`,
      expect.stringMatching(new RegExp(`^${routes}:7:3: route args: setPath: .* \\[SKIFF_ERR_INVALID_ARGS\\]$`)),
      '3 problems; 1 route OK',
    ]);
  });

  it('points at the second definition of a route id given twice', async () => {
    const a = await file('dup/a.eskip', 'same: Path("/a") -> <shunt>;');
    const b = await file('dup/b.eskip', '\n\nsame: Path("/b") -> <shunt>;');
    const r = await check(['--routes-file', a, '--routes-file', b]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(new RegExp(`^${b}:3:1: route same: duplicate route id`));
    // a first definition that does not build, then a second: each at its own place
    const c = await file('dup/c.eskip', 'twice: * -> noSuchFilter() -> <shunt>;');
    const d = await file('dup/d.eskip', '\ntwice: * -> <shunt>;');
    expect((await check(['--routes-file', c, '--routes-file', d])).out).toEqual([
      `${c}:1:1: route twice: unknown filter noSuchFilter [SKIFF_ERR_UNKNOWN_FILTER]`,
      expect.stringMatching(new RegExp(`^${d}:2:1: route twice: duplicate route id`)),
      '2 problems; 0 routes OK',
    ]);
  });

  it('names the file, document, Ingress and annotation of a problem in a manifest', async () => {
    const manifests = join(temp.dir, 'ann');
    await file(
      'ann/app.yaml',
      `${service}---\n${ingress('app', { 'zalando.org/skipper-filter': 'noSuchFilter("x")' })}---\n${ingress('pred', { 'zalando.org/skipper-predicate': 'Foo(' })}`,
    );
    const app = join(manifests, 'app.yaml');
    const r = await check(['--ingress-dir', manifests]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      // the annotation keys are on lines 12 and 27, indented by 4
      expect.stringMatching(
        new RegExp(`^${app}:12:5: Ingress team/app \\(document 2\\): annotation zalando\\.org/skipper-filter: unknown filter noSuchFilter \\(route kube_team__app__\\w+\\) \\[SKIFF_ERR_UNKNOWN_FILTER\\]$`),
      ),
      expect.stringMatching(new RegExp(`^${app}:27:5: Ingress team/pred \\(document 3\\): annotation zalando\\.org/skipper-predicate: .*\\[SKIFF_ERR_PARSE\\]$`)),
      // only the two health-check routes: the Ingresses' routes fail
      '2 problems; 2 routes OK',
    ]);
  });

  it('reports a manifest that is not well-formed YAML at its line and column, and an object it cannot read', async () => {
    const manifests = join(temp.dir, 'yaml');
    await file('yaml/bad.yaml', 'kind: Service\nmetadata: {name: [broken\n');
    await file('yaml/old.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n');
    const r = await check(['--ingress-dir', manifests]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(new RegExp(`^${join(manifests, 'bad.yaml')}:3:1: document 1: `));
    expect(r.out[1]).toMatch(new RegExp(`^${join(manifests, 'old.yaml')}:5:1: Ingress default/old \\(document 2\\): apiVersion extensions/v1beta1 is not read`));
  });

  it('builds each listener with its own classes, and the translation settings of the flags', async () => {
    const manifests = join(temp.dir, 'classes');
    await file('classes/app.yaml', `${service}---\n${ingress('inner', { 'zalando.org/skipper-filter': 'noSuchFilter()' }, 'internal')}`);
    // served by no listener: nothing to report
    expect((await check(['--ingress-dir', manifests])).code).toBe(0);
    const r = await check(['--ingress-dir', manifests, '--listener', 'internal=127.0.0.1:0=internal']);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/Ingress team\/inner \(document 2\): annotation zalando\.org\/skipper-filter: unknown filter noSuchFilter/);
    // --health-check-source-ranges reaches the translation: a bad range fails the command line
    expect((await check(['--ingress-dir', manifests, '--health-check-source-ranges', 'nope'])).code).toBe(2);
  });

  it('knows the filters of --filter-plugin, and reports a plugin that does not load', async () => {
    const plugin = await file('plugin.mjs', 'export const filters = [{ name: "teamHeader", create: () => ({ request() {} }) }];\n');
    const routes = await file('plugin.eskip', 'a: * -> teamHeader() -> <shunt>;');
    expect((await check(['--routes-file', routes])).out[0]).toContain('unknown filter teamHeader');
    expect(await check(['--routes-file', routes, '--filter-plugin', plugin])).toMatchObject({ code: 0, out: ['1 route OK'] });
    const missing = join(temp.dir, 'missing.mjs');
    const r = await check(['--routes-file', routes, '--filter-plugin', missing]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(new RegExp(`^${missing}: cannot read: ENOENT`));
  });

  it("takes Skipper's single-dash spelling and ignores the router's other flags", async () => {
    const routes = await file('flags.eskip', 'a: * -> <shunt>;');
    const r = await check(['-routes-file', routes, '-address=:9999', '--support-address', '127.0.0.1:1', '--workers', '3', '--drain-delay', '45s']);
    expect(r).toMatchObject({ code: 0, out: ['1 route OK'] });
  });

  it('warns about an empty routes file without failing', async () => {
    const empty = await file('empty.eskip', '// nothing\n');
    const r = await check(['--routes-file', empty]);
    expect(r).toEqual({ code: 0, out: ['0 routes OK'], err: `${empty}: warning: no routes\n` });
  });

  it('refuses a bad command line with exit 2', async () => {
    expect((await check([])).code).toBe(2);
    expect((await check(['--routes-fil', 'x'])).code).toBe(2);
    expect((await check(['--routes-file'])).code).toBe(2);
  });

  it.skipIf(!skiffBuilt())('runs as `node bin/skiff.js check` with exit 0, 1 and 2', async () => {
    const good = await file('bin/good.eskip', 'a: * -> <shunt>;');
    const bad = await file('bin/bad.eskip', 'b: Path("/b") -> noSuchFilter() -> <shunt>;');
    const ok = await runSkiff(['check', '-routes-file', good]);
    expect(ok).toMatchObject({ code: 0, stdout: '1 route OK\n' });
    const failed = await runSkiff(['check', '--routes-file', good, '--routes-file', bad]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(`${bad}:1:1: route b: unknown filter noSuchFilter [SKIFF_ERR_UNKNOWN_FILTER]\n1 problem; 1 route OK\n`);
    const usage = await runSkiff(['check', '--no-such-flag']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^skiff check: unknown option --no-such-flag/);
  });
});
