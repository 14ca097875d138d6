/**
 * docs/operations.md against the code it describes: the command-line table lists exactly the
 * options the parser knows, every annotation example translates to the routes printed under it
 * (and those routes build without being set aside), the DaemonSet arguments quoted match the
 * rendered overlay, and the in-page links point at headings that exist.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { optionSpecs } from '../../src/cli/options.js';
import { translate } from '../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot } from '../../src/kubernetes/translate/index.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../../src/kubernetes/objects.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { printRoute } from '../../src/eskip/printer.js';
import { Registry } from '../../src/registry.js';
import { builtinPredicates } from '../../src/predicates/index.js';
import { shutdownSpec } from '../../src/predicates/shutdown.js';
import { builtinFilters } from '../../filters/index.js';
import { buildTable } from '../../src/routing/build.js';
import { compileBackend } from '../../src/backend/compile.js';
import { repoRoot } from '../helpers/process.js';

const doc = readFileSync(join(repoRoot, 'docs/operations.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly text: string;
}

function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, text: body.join('\n') });
  }
  return blocks;
}

/** From a heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l === heading);
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(' ');
  let end = start + 1;
  while (end < lines.length) {
    const m = /^(#+) /.exec(lines[end]!);
    if (m !== null && m[1]!.length <= level) break;
    end++;
  }
  return lines.slice(start, end).join('\n');
}

// The cluster the annotation examples are written against, as the document states it.
const service = (name: string): Service =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop', name }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } }) as unknown as Service;
const slice = (name: string, ips: string[]): EndpointSlice =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'shop', name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  }) as unknown as EndpointSlice;
const ingressClass = (name: string): IngressClass =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller: 'zalando.org/skiff' } }) as unknown as IngressClass;

function snapshotWith(ingress: Ingress): ClusterSnapshot {
  return {
    ingresses: [ingress],
    services: [service('api'), service('api-v2')],
    endpointSlices: [slice('api', ['10.2.0.10', '10.2.0.11']), slice('api-v2', ['10.2.0.20'])],
    ingressClasses: [ingressClass('external'), ingressClass('internal')],
  };
}

const canonical = (text: string): string[] => parseRoutes(text).map((r) => printRoute(r, { pretty: false })).sort();

const examples: { title: string; ingress: Ingress; expected: string }[] = [];
{
  const blocks = codeBlocks(section(doc, '## Annotations'));
  for (let i = 0; i + 1 < blocks.length; i++) {
    const b = blocks[i]!;
    const next = blocks[i + 1]!;
    if (b.lang !== 'yaml' || next.lang !== 'eskip') continue;
    const ingress = parse(b.text) as Ingress;
    examples.push({ title: Object.keys(ingress.metadata.annotations ?? {}).join(' + '), ingress, expected: next.text });
  }
}

describe('docs/operations.md', () => {
  it('lists exactly the options the command line knows, with their argument shapes', () => {
    const rows = section(doc, '## Command line')
      .split('\n')
      .filter((l) => l.startsWith('| `--'));
    const documented = rows.map((r) => /^\| `--([a-z-]+)/.exec(r)![1]!);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(optionSpecs.map((o) => o.name).sort());
    for (const o of optionSpecs) {
      const row = rows.find((l) => l.startsWith(`| \`--${o.name}\``) || l.startsWith(`| \`--${o.name} `))!;
      const shown = /^\| `--[a-z-]+(?: ([^`]+))?`/.exec(row)![1]?.replaceAll('\\|', '|') ?? null;
      expect(shown, `--${o.name}`).toBe(o.arg);
    }
  });

  it('has an example for every annotation it describes', () => {
    const annotated = new Set(examples.flatMap((e) => e.title.split(' + ')));
    for (const a of [
      'zalando.org/skipper-filter',
      'zalando.org/skipper-predicate',
      'zalando.org/skipper-routes',
      'zalando.org/backend-weights',
      'zalando.org/skipper-loadbalancer',
      'zalando.org/skipper-backend-protocol',
      'zalando.org/skipper-ingress-path-mode',
      'nginx.ingress.kubernetes.io/whitelist-source-range',
      'nginx.ingress.kubernetes.io/denylist-source-range',
    ]) {
      expect(annotated, a).toContain(a);
    }
  });

  const predicates = new Registry([...builtinPredicates(), shutdownSpec(() => false)]);
  const filters = new Registry(builtinFilters());
  for (const example of examples) {
    it(`translates the ${example.title} example to the routes shown`, () => {
      const result = translate(snapshotWith(example.ingress), { ingressClasses: ['external', 'internal'] });
      expect(result.skipped).toEqual([]);
      const own = result.routes.filter((r) => !r.id.startsWith('kube__healthz') && !r.id.startsWith('kube___catchall'));
      expect(own.map((r) => printRoute(r, { pretty: false })).sort()).toEqual(canonical(example.expected));
      const table = buildTable(result.routes, { predicates, filters, compileBackend });
      expect(table.invalid).toEqual([]);
      table.close();
    });
  }

  it('quotes the DaemonSet arguments the AWS overlay renders', () => {
    const kubectl = spawnSync('kubectl', ['kustomize', join(repoRoot, 'deploy/overlays/aws')], { encoding: 'utf8' });
    if (kubectl.error !== undefined || kubectl.status !== 0) {
      console.warn('test/deploy/docs: DaemonSet arguments not compared, kubectl is not installed');
      return;
    }
    type Rendered = { kind: string; spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const ds = parseAllDocuments(kubectl.stdout).map((d) => d.toJS() as Rendered).find((o) => o.kind === 'DaemonSet')!;
    const lines = doc.split('\n');
    const intro = lines.findIndex((l) => l.startsWith("The DaemonSet's arguments, as rendered by the AWS overlay"));
    expect(intro).toBeGreaterThan(0);
    const quoted = codeBlocks(lines.slice(intro).join('\n'))[0]!.text.split(/\s+/).filter((s) => s !== '');
    expect([...quoted].sort()).toEqual([...ds.spec.template.spec.containers[0]!.args].sort());
  });

  it('links only to headings that exist', () => {
    const slugs = new Set(
      [...doc.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replaceAll(' ', '-'),
      ),
    );
    const links = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const l of links) expect(slugs, `#${l}`).toContain(l);
  });
});
