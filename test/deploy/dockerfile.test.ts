/**
 * The Dockerfile, read structurally (no container engine needed): a build stage with the dev
 * dependencies, a final stage with production dependencies only, a non-root numeric user that
 * matches the DaemonSet, an exec-form entrypoint so node is PID 1 and gets SIGTERM, no
 * HEALTHCHECK. Then the final stage's file layout is rebuilt in a temporary directory and run,
 * and the compiled code is checked to import nothing outside the production dependencies.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, skiffBuilt } from '../helpers/process.js';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

/** Instructions in order, continuation lines joined, comments dropped; then split into stages. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const l of logical) {
    const space = l.indexOf(' ');
    const keyword = l.slice(0, space).toUpperCase();
    const rest = l.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (m === null) throw new Error(`bad FROM: ${rest}`);
      stages.push({ from: m[1]!, name: m[2] ?? null, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [k, v] = rest.split('=');
        args.set(k!, v ?? '');
      }
    } else {
      stages[stages.length - 1]!.instructions.push({ keyword, args: rest });
    }
  }
  return { args, stages };
}

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const { args, stages } = parseDockerfile(dockerfile);
const final = stages[stages.length - 1]!;
const build = stages[0]!;
const all = (stage: Stage, keyword: string): string[] => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, on a current LTS slim Node image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBe('build');
    for (const s of stages) {
      const image = s.from.replace(/\$\{(\w+)\}/g, (_m, k: string) => args.get(k) ?? '');
      const m = /^node:(\d+)-[a-z]+-slim$/.exec(image);
      expect(m, `FROM ${s.from}`).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(22);
      expect(Number(m![1]) % 2, 'LTS lines are even').toBe(0);
    }
  });

  it('compiles with the dev dependencies in the build stage', () => {
    const runs = all(build, 'RUN');
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs.some((r) => /\btsc\b/.test(r) || /npm run build/.test(r))).toBe(true);
  });

  it('installs production dependencies only in the final stage, without install scripts', () => {
    const runs = all(final, 'RUN');
    const installs = runs.filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b/);
    expect(installs[0]).toContain('--omit=dev');
    expect(installs[0]).toContain('--ignore-scripts');
    expect(runs.join('\n')).not.toMatch(/\bnpm install\b|\byarn\b|\bpnpm\b|\btsc\b/);
  });

  it('copies the compiled code from the build stage, not the sources or the dev node_modules', () => {
    const copies = all(final, 'COPY');
    expect(copies).toContain('--from=build /src/dist ./dist');
    expect(copies.some((c) => /^bin\s/.test(c))).toBe(true);
    expect(copies.join('\n')).not.toMatch(/node_modules|(^|\s)src(\s|$)|filters/);
  });

  it('runs as a numeric non-root user, the one the DaemonSet asks for', () => {
    const users = all(final, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    const ds = parse(readFileSync(join(repoRoot, 'deploy/base/daemonset.yaml'), 'utf8')) as {
      spec: { template: { spec: { securityContext: { runAsUser: number; runAsGroup: number }; containers: { ports: { containerPort: number }[] }[] } } };
    };
    const podSec = ds.spec.template.spec.securityContext;
    expect(podSec.runAsUser).toBe(uid);
    expect(podSec.runAsGroup).toBe(gid);
    const exposed = all(final, 'EXPOSE').flatMap((e) => e.split(/\s+/)).map(Number);
    for (const p of ds.spec.template.spec.containers[0]!.ports) expect(exposed).toContain(p.containerPort);
  });

  it('starts node directly in exec form, so it is PID 1 and receives SIGTERM, with the flags bin/skiff.js asks for; no HEALTHCHECK', () => {
    const entry = all(final, 'ENTRYPOINT');
    expect(entry).toHaveLength(1);
    // the same node flags as the first line of bin/skiff.js (its `env -S` interpreter line)
    const shebang = readFileSync(join(repoRoot, 'bin', 'skiff.js'), 'utf8').split('\n')[0]!;
    const flags = shebang.replace('#!/usr/bin/env -S node', '').trim().split(/\s+/).filter((f) => f !== '');
    expect(flags).toContain('--no-memory-reducer');
    expect(JSON.parse(entry[0]!)).toEqual(['node', ...flags, 'bin/skiff.js']);
    expect(all(final, 'CMD').filter((c) => !c.startsWith('['))).toEqual([]);
    for (const s of stages) expect(all(s, 'HEALTHCHECK')).toEqual([]);
    expect(all(final, 'WORKDIR')).toEqual(['/app']);
  });

  it('only copies files that exist and that .dockerignore lets into the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    // the file's shape: exclude everything, then re-include top-level entries
    expect(ignore[0]).toBe('*');
    const included = new Set(ignore.slice(1).map((l) => {
      expect(l.startsWith('!')).toBe(true);
      return l.slice(1);
    }));
    for (const s of stages) {
      for (const c of all(s, 'COPY')) {
        if (c.startsWith('--from=')) continue;
        const parts = c.split(/\s+/);
        for (const source of parts.slice(0, -1)) {
          expect(existsSync(join(repoRoot, source)), source).toBe(true);
          expect(included.has(source.split('/')[0]!), `${source} is in the build context`).toBe(true);
        }
      }
    }
    // the compiled output is built in the image, never taken from the developer's tree
    expect(included.has('dist')).toBe(false);
    expect(included.has('node_modules')).toBe(false);
  });
});

describe.skipIf(!skiffBuilt())('the final stage layout', () => {
  it('imports nothing from dist/ beyond Node built-ins and the production dependencies', () => {
    const allowed = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const found = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (entry.endsWith('.js')) {
          const text = readFileSync(path, 'utf8');
          for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm)) {
            found.add(m[1] ?? m[2]!);
          }
        }
      }
    };
    walk(join(repoRoot, 'dist/src'));
    walk(join(repoRoot, 'dist/filters'));
    const bare = [...found].filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtins.has(s));
    const packages = new Set(bare.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)));
    expect(packages.size).toBeGreaterThan(3);
    for (const p of packages) expect(allowed.has(p), `${p} is a production dependency`).toBe(true);
  });

  it('runs from package.json, dist/ and bin/ alone', () => {
    const app = mkdtempSync(join(tmpdir(), 'skiff-image-'));
    try {
      cpSync(join(repoRoot, 'package.json'), join(app, 'package.json'));
      cpSync(join(repoRoot, 'dist'), join(app, 'dist'), { recursive: true });
      cpSync(join(repoRoot, 'bin'), join(app, 'bin'), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
      const run = (...argv: string[]) => spawnSync(process.execPath, ['--no-memory-reducer', 'bin/skiff.js', ...argv], { cwd: app, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 15_000 });
      const version = run('--version');
      expect(version.status).toBe(0);
      expect(version.stdout.trim()).toBe(pkg.version);
      const help = run('--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('--drain-delay');
      const bad = run('--no-such-option');
      expect(bad.status).toBe(2);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
