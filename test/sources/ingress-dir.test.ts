import { mkdir, mkdtemp, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IngressDirWatch } from '../../src/sources/ingress-dir.js';
import { SourceError } from '../../src/source-error.js';
import type { ClusterSnapshot } from '../../src/kubernetes/translate/index.js';

const ingress = (name: string, namespace = 'team', service = 'web'): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  ingressClassName: skiff
  rules:
    - host: ${name}.example.org
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: ${service}, port: {number: 80}}}}
`;
const service = (name: string, namespace = 'team'): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {ports: [{port: 80, targetPort: 8080}]}\n`;

let dirs: string[] = [];
let watches: IngressDirWatch[] = [];

afterEach(async () => {
  for (const w of watches) await w.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  watches = [];
  dirs = [];
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skiff-ingress-dir-'));
  dirs.push(d);
  return d;
}

function track(dir: string, debounceMs = 20): { w: IngressDirWatch; changes: ClusterSnapshot[] } {
  const w = new IngressDirWatch(dir, { debounceMs });
  watches.push(w);
  const changes: ClusterSnapshot[] = [];
  w.onChange((s) => changes.push(s));
  return { w, changes };
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const names = (list: readonly { metadata: { namespace?: string; name: string } }[]): string[] =>
  list.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

describe('IngressDirWatch', () => {
  it('loads *.yaml, *.yml and *.json recursively, several documents per file, and skips hidden and other files', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), ingress('a') + '---\n' + service('web'));
    await mkdir(join(dir, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'nested', 'b.yml'), ingress('b', 'other'));
    await writeFile(
      join(dir, 'nested', 'deeper', 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c', namespace: 'team' } }] }),
    );
    await writeFile(join(dir, 'notes.txt'), ingress('not-a-manifest'));
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'x.yaml'), ingress('hidden'));

    const { w } = track(dir);
    expect(w.ready).toBe(false);
    await w.start();
    expect(w.ready).toBe(true);
    const snap = w.snapshot();
    expect(names(snap.ingresses)).toEqual(['other/b', 'team/a']);
    expect(names(snap.services)).toEqual(['team/c', 'team/web']);
    expect(w.problems()).toEqual([]);
  });

  it('fails to start on a directory that does not exist', async () => {
    const dir = await tempDir();
    const { w } = track(join(dir, 'missing'));
    await expect(w.start()).rejects.toMatchObject({ code: 'SKIFF_ERR_INVALID_OPTION' });
    const error = (await w.start().catch((err: unknown) => err)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(new RegExp(`^${join(dir, 'missing')}: cannot read the directory: ENOENT`));
  });

  it('fails to start on a manifest that does not parse, naming the file, line and column of the error', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'good.yaml'), ingress('good'));
    await mkdir(join(dir, 'team'));
    await writeFile(join(dir, 'team', 'app.yaml'), ingress('a') + '---\nkind: Service\nmetadata: {name: [broken\n');
    const { w, changes } = track(dir);
    const error = await w.start().then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(SourceError);
    const e = error as SourceError;
    expect(e.code).toBe('SKIFF_ERR_PARSE');
    expect(e.problems).toEqual([expect.objectContaining({ file: join(dir, 'team', 'app.yaml'), line: 16, code: 'SKIFF_ERR_PARSE' })]);
    expect(e.message).toMatch(new RegExp(`^${join(dir, 'team', 'app.yaml')}:16:\\d+: document 2: `));
    expect(w.ready).toBe(false);
    expect(changes).toEqual([]);
  });

  it('follows changes: a new file, an edited file, a new subdirectory, a removed file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), ingress('a'));
    const { w, changes } = track(dir);
    await w.start();

    await writeFile(join(dir, 'b.yaml'), ingress('b'));
    await until(() => names(w.snapshot().ingresses).includes('team/b'), 'new file');
    expect(changes.at(-1)).toBe(w.snapshot());

    await writeFile(join(dir, 'a.yaml'), ingress('a', 'team', 'api'));
    await until(() => w.snapshot().ingresses[0]?.spec?.rules?.[0]?.http?.paths?.[0]?.backend.service?.name === 'api', 'edit');

    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'c.yaml'), ingress('c'));
    await until(() => names(w.snapshot().ingresses).includes('team/c'), 'file in a new subdirectory');
    // The subdirectory is now watched too.
    await writeFile(join(dir, 'sub', 'c.yaml'), ingress('c2'));
    await until(() => names(w.snapshot().ingresses).includes('team/c2'), 'edit in the subdirectory');

    await unlink(join(dir, 'b.yaml'));
    await until(() => !names(w.snapshot().ingresses).includes('team/b'), 'removal');
    expect(names(w.snapshot().ingresses)).toEqual(['team/a', 'team/c2']);
  });

  it('debounces a burst of writes into few notifications', async () => {
    const dir = await tempDir();
    const { w, changes } = track(dir, 100);
    await w.start();
    // issued together: one after another, a loaded machine could space two of them past the quiet time
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFile(join(dir, `i${i}.yaml`), ingress(`i${i}`))));
    await until(() => w.snapshot().ingresses.length === 20, 'burst');
    await new Promise((r) => setTimeout(r, 250));
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes.length).toBeLessThanOrEqual(3);
  });

  it('keeps the last good objects of a file that stops parsing, reports it, and recovers', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), ingress('a') + '---\n' + service('web'));
    await writeFile(join(dir, 'b.yaml'), ingress('b'));
    const { w, changes } = track(dir);
    await w.start();

    await writeFile(join(dir, 'a.yaml'), 'kind: Ingress\nmetadata: {name: [broken\n');
    await until(() => w.problems().length === 1, 'parse error reported');
    const [problem] = w.problems();
    expect(problem).toMatchObject({ id: 'a.yaml', code: 'SKIFF_ERR_PARSE', source: 'a.yaml' });
    expect(problem?.reason).toMatch(/^a\.yaml: document 1: /);
    // The objects of a.yaml stay, and other files still load.
    expect(names(w.snapshot().ingresses)).toEqual(['team/a', 'team/b']);
    expect(names(w.snapshot().services)).toEqual(['team/web']);
    const notified = changes.length;
    expect(notified).toBeGreaterThan(0);

    await writeFile(join(dir, 'b.yaml'), ingress('b2'));
    await until(() => names(w.snapshot().ingresses).includes('team/b2'), 'other file reloaded');
    expect(names(w.snapshot().ingresses)).toEqual(['team/a', 'team/b2']);
    expect(w.problems()).toHaveLength(1);

    await writeFile(join(dir, 'a.yaml'), ingress('a-fixed'));
    await until(() => w.problems().length === 0, 'problem cleared');
    expect(names(w.snapshot().ingresses)).toEqual(['team/a-fixed', 'team/b2']);
    expect(w.snapshot().services).toEqual([]);
  });

  it('reports an object defined in two files and keeps the first by path', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), ingress('same', 'team', 'first'));
    await writeFile(join(dir, 'b.yaml'), ingress('same', 'team', 'second'));
    const { w } = track(dir);
    await w.start();
    expect(w.snapshot().ingresses).toHaveLength(1);
    expect(w.snapshot().ingresses[0]?.spec?.rules?.[0]?.http?.paths?.[0]?.backend.service?.name).toBe('first');
    expect(w.problems()).toEqual([{ id: 'Ingress team/same', code: 'SKIFF_ERR_INVALID_INGRESS', reason: 'defined again; the definition in a.yaml is kept', source: 'b.yaml' }]);
  });

  it('follows a ConfigMap-style mount whose ..data link is swapped', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '..v1'));
    await writeFile(join(dir, '..v1', 'ingress.yaml'), ingress('v1'));
    await symlink('..v1', join(dir, '..data'));
    await symlink(join('..data', 'ingress.yaml'), join(dir, 'ingress.yaml'));
    const { w } = track(dir);
    await w.start();
    expect(names(w.snapshot().ingresses)).toEqual(['team/v1']);

    // What the kubelet does: write a new timestamped directory, then rename a new link over ..data.
    await mkdir(join(dir, '..v2'));
    await writeFile(join(dir, '..v2', 'ingress.yaml'), ingress('v2'));
    await symlink('..v2', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await until(() => names(w.snapshot().ingresses).includes('team/v2'), 'swapped mount');
    expect(names(w.snapshot().ingresses)).toEqual(['team/v2']);
  });

  it('stops watching after stop()', async () => {
    const dir = await tempDir();
    const { w, changes } = track(dir);
    await w.start();
    await w.stop();
    await writeFile(join(dir, 'late.yaml'), ingress('late'));
    await new Promise((r) => setTimeout(r, 150));
    expect(changes).toEqual([]);
    expect(w.snapshot().ingresses).toEqual([]);
  });
});
