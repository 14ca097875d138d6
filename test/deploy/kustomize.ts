/**
 * The kustomizations under deploy/, rendered by `kubectl kustomize` (kustomize v5 is built into
 * kubectl; Debian ships no kustomize package), and the placeholders an operator must replace
 * before applying them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../helpers/process.js';

/** SKIFF_TEST_DEPLOY_DIR points the checks at another copy, e.g. an older commit's deploy/. */
export const deployDir = process.env.SKIFF_TEST_DEPLOY_DIR ?? join(repoRoot, 'deploy');

export const haveKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/** Parsed YAML below `spec`: the assertions check its shape, the type does not. */
export type Loose = any;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Loose;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  value?: number;
}

/** `kubectl kustomize deploy/<dir>` as text. */
export function renderText(dir: string): string {
  const out = spawnSync('kubectl', ['kustomize', join(deployDir, dir)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl kustomize deploy/${dir} failed:\n${out.stderr}`);
  return out.stdout;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}

export function render(dir: string): K8sObject[] {
  return parseObjects(renderText(dir));
}

/**
 * What an operator's own kustomization renders: `resources` and `components` (directories under
 * deploy/) in the namespace skiff. kustomize refuses absolute paths, so the temporary
 * kustomization names them relative to itself.
 */
export function renderWith(resources: readonly string[], components: readonly string[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kustomize-'));
  try {
    const rel = (d: string): string => relative(dir, join(deployDir, d));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: skiff',
        'resources:',
        ...resources.map((r) => `  - ${rel(r)}`),
        'components:',
        ...components.map((c) => `  - ${rel(c)}`),
        '',
      ].join('\n'),
    );
    const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`kubectl kustomize ${resources.join(', ')} + ${components.join(', ')} failed:\n${out.stderr}`);
    return parseObjects(out.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shape every placeholder in deploy/ has: no option, CIDR, ARN or image name accepts it. */
export const PLACEHOLDER = /REPLACE_WITH_[A-Z0-9_]+/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set(text.match(PLACEHOLDER) ?? [])].sort();
}

/** Values an operator might put in, for the checks that need a filled-in overlay. */
export const exampleValues: Readonly<Record<string, string>> = {
  REPLACE_WITH_ALB_SUBNET_CIDRS: '10.0.0.0/16',
  REPLACE_WITH_EXTERNAL_ALB_DNS_NAME: 'ingress.example.org',
  REPLACE_WITH_INTERNAL_ALB_DNS_NAME: 'internal-ingress.example.org',
};

export function fillPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, (p) => exampleValues[p] ?? p);
}

export function one(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`${kind}/${name}: ${found.length} rendered, expected 1`);
  return found[0]!;
}

/** The router's one container, with the placeholders in its arguments left as they are. */
export function routerContainer(objects: readonly K8sObject[]): Loose {
  const containers = one(objects, 'DaemonSet', 'skiff').spec.template.spec.containers as Loose[];
  if (containers.length !== 1) throw new Error(`${containers.length} containers in the DaemonSet`);
  return containers[0];
}

/** `512Mi` → 512; `1Gi` → 1024. */
export function mebibytes(quantity: string): number {
  const m = /^([0-9]+)(Mi|Gi)$/.exec(quantity);
  if (m === null) throw new Error(`memory quantity ${quantity}: expected Mi or Gi`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}
