/**
 * A real `node bin/skiff.js` given a route source it cannot read or parse at start: it exits 1
 * with `FILE:LINE:COLUMN: message` on stderr instead of coming up "ready" with no routes. An empty
 * routes file is only a warning, and a file that breaks after the start keeps the last good table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchSkiff, probe, skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { tempFiles } from '../helpers/temp-files.js';

const built = skiffBuilt();
if (!built) console.warn('test/cli/start-failures: skipped, dist/ is missing (run `npm run build`)');

const ports = ['--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0'];
const temp = tempFiles('skiff-start-failures-');
const file = temp.file;
let running: SkiffProcess | undefined;

afterEach(async () => {
  await running?.stop(5000);
  running = undefined;
});

/** Runs skiff to its exit (at most 15 s); the stderr lines that are not JSON log lines. */
async function failedStart(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; lines: string[]; listened: boolean }> {
  const p = launchSkiff([...ports, '--log-level', 'info', ...args], { env });
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  const exit = await p.exited;
  clearTimeout(timer);
  const lines = p.stderr().split('\n').filter((l) => l !== '' && !l.startsWith('{'));
  return { code: exit.code, lines, listened: p.logs.some((l) => l.msg === 'listening') };
}

describe.skipIf(!built)('start-up failures of the skiff process', () => {
  it('exits 1 on a routes file that does not parse, with FILE:LINE:COLUMN on stderr', async () => {
    const routes = await file('broken.eskip', 'a: Path("/a") -> <shunt>;\nb: Path("/b") -> setPath( -> <shunt>;\n');
    const r = await failedStart(['--routes-file', routes]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^${routes}:2:27: expected argument .* found "->" \\(route "b"\\)$`))]);
    expect(r.listened).toBe(false);
  });

  it('exits 1 on a routes file that does not exist, also as the primary of several workers', async () => {
    const missing = join(temp.dir, 'missing.eskip');
    for (const workers of ['1', '2']) {
      const r = await failedStart(['--routes-file', missing, '--workers', workers]);
      expect(r.code, `--workers ${workers}`).toBe(1);
      expect(r.lines, `--workers ${workers}`).toEqual([expect.stringMatching(new RegExp(`^${missing}: cannot read: ENOENT`))]);
    }
  });

  it('exits 1 on an --ingress-dir manifest that is not well-formed YAML, naming the file, line and column', async () => {
    const manifests = join(temp.dir, 'manifests');
    await file('manifests/ok.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n');
    await file('manifests/team/app.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations: {a: [b}\n');
    const r = await failedStart(['--ingress-dir', manifests]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^${join(manifests, 'team', 'app.yaml')}:5:\\d+: document 1: `))]);
  });

  it('exits 1 on an --ingress-dir that does not exist', async () => {
    const missing = join(temp.dir, 'no-such-dir');
    const r = await failedStart(['--ingress-dir', missing]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^${missing}: cannot read the directory: ENOENT`))]);
  });

  it('exits 1 on a --filter-plugin that does not parse or does not exist', async () => {
    const plugin = await file('plugin.mjs', 'export const filters = [];\nconst = 5;\n');
    const routes = await file('ok.eskip', 'a: * -> <shunt>;');
    const r = await failedStart(['--routes-file', routes, '--filter-plugin', plugin]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`${plugin}:2:7: cannot load: SyntaxError: Unexpected token '='`]);
    const gone = join(temp.dir, 'gone.mjs');
    const g = await failedStart(['--routes-file', routes, '--filter-plugin', gone]);
    expect(g.code).toBe(1);
    expect(g.lines).toEqual([expect.stringMatching(new RegExp(`^${gone}: cannot read: ENOENT`))]);
  });

  it('starts on an empty routes file with a warning, and is ready', async () => {
    const empty = await file('empty.eskip', '');
    running = await spawnSkiff([...ports, '--routes-file', empty]);
    expect(await probe(`${running.supportUrl}/readyz`)).toBe(200);
    expect(running.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'routes file has no routes', file: empty }));
  });

  it('after the start, keeps serving the last good table when the file breaks or goes away', async () => {
    const routes = await file('live.eskip', 'a: Path("/a") -> inlineContent("A") -> <shunt>;');
    running = await spawnSkiff([...ports, '--routes-file', routes]);
    expect(await probe(`${running.url}/a`)).toBe(200);
    await writeFile(routes, 'a: Path("/a") -> inlineContent("A") -> ;');
    const p = running;
    await waitFor(() => p.logs.some((l) => l.msg === 'routes file rejected, keeping the last good routes'), 5000, 'the broken file was not reported');
    expect(await probe(`${running.url}/a`)).toBe(200);
    expect(await probe(`${running.supportUrl}/readyz`)).toBe(200);
    await unlink(routes);
    await waitFor(() => p.logs.some((l) => typeof l.reason === 'string' && l.reason.includes('ENOENT')), 5000, 'the missing file was not reported');
    expect(await probe(`${running.url}/a`)).toBe(200);
  });
});
